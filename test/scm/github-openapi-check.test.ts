/**
 * The check behind `github-openapi.test.ts`, on hand-made exchanges: each way a request or an
 * answer can depart from GitHub's REST description is reported, with where and why.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange, FakeResponse } from './github-fake.js';
import { refJson } from './github-fake-json.js';
import { checkExchange } from './github-openapi.js';

const REPO = '/repos/acme/infra';
const SHA = 'a'.repeat(40);
const IDS = { owner: 'acme', repo: 'infra', defaultBranch: 'main' };
const CREATED_REF: FakeResponse = { status: 201, body: refJson(IDS, 'refs/heads/x', SHA) };

interface Sent {
  readonly body?: unknown;
  readonly contentType?: string;
  readonly response?: FakeResponse;
}

function exchange(
  method: string,
  target: string,
  { body, contentType = 'application/json; charset=utf-8', response = { status: 200, body: {} } }: Sent = {},
): Exchange {
  const url = new URL(target, 'http://fake');
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  return {
    request: {
      method,
      path: decodeURIComponent(url.pathname),
      rawPath: url.pathname,
      query: url.searchParams,
      text,
      body: {},
      contentType: text === '' ? undefined : contentType,
      authorization: 'token x',
    },
    response,
  };
}

describe('checkExchange', () => {
  it('finds nothing wrong with a documented request and a documented answer, and names the operation', () => {
    expect(checkExchange(exchange('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/x', sha: SHA }, response: CREATED_REF }))).toEqual(
      { operationId: 'git/create-ref', problems: [] },
    );
  });

  it.each([
    ['an unknown path', exchange('GET', `${REPO}/git/refz/heads%2Fmain`), /^no documented operation has this path$/],
    [
      'a method the path does not document',
      exchange('PUT', `${REPO}/git/refs/heads%2Fx`, { body: { sha: SHA } }),
      /method is not documented for this path \(documented: .*PATCH \/repos\/\{owner\}\/\{repo\}\/git\/refs\/\{ref\}/,
    ],
    [
      'an undocumented body field',
      exchange('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/x', sha: SHA, force: true }, response: CREATED_REF }),
      /^body\.force: property is not documented$/,
    ],
    [
      'a missing required body field',
      exchange('POST', `${REPO}/git/commits`, { body: { tree: SHA, parents: [] } }),
      /^body: required property "message" is missing$/,
    ],
    [
      'a value outside an enum',
      exchange('POST', `${REPO}/git/trees`, { body: { tree: [{ path: 'a.tf', mode: '100600', type: 'blob', sha: SHA }] } }),
      /^body\.tree\[0\]\.mode: "100600" is not one of \["100644",/,
    ],
    [
      'a body field of the wrong type',
      exchange('PATCH', `${REPO}/git/refs/heads%2Fx`, { body: { sha: SHA, force: 'false' } }),
      /^body\.force: expected boolean, got string "false"$/,
    ],
    [
      'a nested undocumented field',
      exchange('POST', `${REPO}/git/commits`, { body: { message: 'm', tree: SHA, author: { name: 'a', email: 'e', login: 'a' } } }),
      /^body\.author\.login: property is not documented$/,
    ],
    [
      'a path parameter of the wrong type',
      exchange('PATCH', `${REPO}/pulls/first`, { body: { title: 't' } }),
      /^path parameter pull_number: expected integer, got string "first"$/,
    ],
    [
      'an undocumented query parameter',
      exchange('GET', `${REPO}/pulls?status=open`, { response: { status: 200, body: [] } }),
      /^query parameter "status" is not documented$/,
    ],
    [
      'a query value outside its enum',
      exchange('GET', `${REPO}/pulls?state=merged`, { response: { status: 200, body: [] } }),
      /^query parameter state: "merged" is not one of \["open","closed","all"\]$/,
    ],
    [
      'a body on an operation that takes none',
      exchange('GET', `${REPO}/git/ref/heads%2Fmain`, { body: {} }),
      /^sends a body, but the operation documents none$/,
    ],
    [
      'a missing required body',
      exchange('POST', `${REPO}/git/blobs`, { response: { status: 201, body: { sha: SHA, url: 'u' } } }),
      /^the request body is required but none was sent$/,
    ],
    [
      'a body of another media type',
      exchange('POST', `${REPO}/git/blobs`, { body: 'content=x', contentType: 'application/x-www-form-urlencoded' }),
      /^sends application\/x-www-form-urlencoded, documented: application\/json$/,
    ],
    [
      'labels given as one string',
      exchange('POST', `${REPO}/issues/1/labels`, { body: { labels: 'cloudmend' } }),
      /^body: matches 0 of the 1 oneOf schemas \(closest: body\.labels: expected array/,
    ],
  ])('reports %s', (_name, sent, problem) => {
    expect(checkExchange(sent).problems).toContainEqual(expect.stringMatching(problem));
  });

  it.each([
    [
      'a documented answer without a required property',
      { status: 201, body: { ref: 'refs/heads/x', url: 'u', object: { type: 'commit', sha: SHA, url: 'u' } } },
      /^201 answer: required property "node_id" is missing$/,
    ],
    [
      'a documented answer with a property of the wrong type',
      { status: 201, body: { ...refJson(IDS, 'refs/heads/x', SHA), object: { type: 'commit', sha: 42, url: 'u' } } },
      /^201 answer\.object\.sha: expected string, got number 42$/,
    ],
    [
      'a status the operation does not document',
      { status: 418, body: { message: 'teapot' } },
      /^answered 418, which the operation does not document \(documented: 201, 409, 422\)$/,
    ],
    [
      'a rate limit answer not shaped like GitHub’s errors',
      { status: 429, body: { message: 42 } },
      /^429 answer\.message: expected string, got number 42$/,
    ],
  ])('reports %s', (_name, response: FakeResponse, problem) => {
    const sent = exchange('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/x', sha: SHA }, response });
    expect(checkExchange(sent)).toEqual({ operationId: 'git/create-ref', problems: [expect.stringMatching(problem)] });
  });

  it('accepts rate limits and server errors on any operation when they carry GitHub’s error body', () => {
    for (const status of [403, 429, 500, 502]) {
      const sent = exchange('POST', `${REPO}/git/blobs`, {
        body: { content: 'eA==', encoding: 'base64' },
        response: { status, body: { message: 'Server Error', documentation_url: 'https://docs.github.com/rest' } },
      });
      expect(checkExchange(sent).problems).toEqual([]);
    }
  });

  it('does not check the answer of a request left unanswered', () => {
    expect(
      checkExchange({ ...exchange('POST', `${REPO}/git/refs`, { body: { ref: 'refs/heads/x', sha: SHA } }), response: 'hang' }).problems,
    ).toEqual([]);
  });
});
