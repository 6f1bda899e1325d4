import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { verifySlackSignature } from '../../src/approvals/signature.js';
import { sign } from './fixtures.js';

// Slack's published worked example (docs "Verifying requests from Slack"; also python-slack-sdk's test vector).
const slack = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  now: new Date(1531420618 * 1000),
};

describe('verifySlackSignature', () => {
  it("verifies Slack's published example with a fixed clock, as a string and as bytes", () => {
    expect(verifySlackSignature(slack)).toEqual({ ok: true });
    expect(verifySlackSignature({ ...slack, body: Buffer.from(slack.body) })).toEqual({ ok: true });
  });

  it.each([
    ['a signature under another secret', { signingSecret: '8f742231b10e8888abcd99yyyzzz85a6' }, 'mismatch'],
    ['a tampered body', { body: slack.body.replace('roadrunner', 'coyote') }, 'mismatch'],
    ['a tampered timestamp', { timestamp: '1531420619' }, 'mismatch'],
    ['an empty signing secret', { signingSecret: '' }, 'no_secret'],
    ['a missing timestamp', { timestamp: undefined }, 'missing_timestamp'],
    ['an empty timestamp', { timestamp: '' }, 'missing_timestamp'],
    ['a non-numeric timestamp', { timestamp: '1531420618.5' }, 'malformed_timestamp'],
    ['a missing signature', { signature: undefined }, 'missing_signature'],
    ['another signature version', { signature: slack.signature.replace('v0=', 'v1=') }, 'malformed_signature'],
    ['a short signature', { signature: slack.signature.slice(0, -2) }, 'malformed_signature'],
    ['a signature with trailing data', { signature: `${slack.signature}00` }, 'malformed_signature'],
  ])('refuses %s', (_, change, reason) => {
    expect(verifySlackSignature({ ...slack, ...change })).toEqual({ ok: false, reason });
  });

  it('accepts five minutes of skew either way and refuses more, stale or from the future', () => {
    const shifted = (seconds: number): Date => new Date((1531420618 + seconds) * 1000);
    expect(verifySlackSignature({ ...slack, now: shifted(300) })).toEqual({ ok: true });
    expect(verifySlackSignature({ ...slack, now: shifted(-300) })).toEqual({ ok: true });
    expect(verifySlackSignature({ ...slack, now: shifted(301) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verifySlackSignature({ ...slack, now: shifted(-301) })).toEqual({ ok: false, reason: 'future_timestamp' });
    expect(verifySlackSignature({ ...slack, now: new Date(Number.NaN) })).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('never throws and never accepts a signature it did not compute, whatever the input', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constant(undefined), fc.constant(''));
    const anything = fc.oneof(text, fc.anything());
    fc.assert(
      fc.property(
        anything,
        anything,
        anything,
        anything,
        fc.oneof(fc.date(), fc.anything()),
        (signingSecret, timestamp, body, signature, now) => {
          // Deliberately untyped: headers and bodies arrive from the network.
          const input = { signingSecret, timestamp, body, signature, now } as unknown as Parameters<typeof verifySlackSignature>[0];
          const result = verifySlackSignature(input);
          expect(result.ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('accepts exactly the requests signed with the secret within the window', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ unit: 'binary' }), fc.integer({ min: -300, max: 300 }), (secret, body, skew) => {
        const timestamp = '1700000000';
        const now = new Date((1700000000 + skew) * 1000);
        expect(verifySlackSignature({ signingSecret: secret, timestamp, body, signature: sign(body, timestamp, secret), now })).toEqual({
          ok: true,
        });
        expect(
          verifySlackSignature({ signingSecret: `${secret}x`, timestamp, body, signature: sign(body, timestamp, secret), now }).ok,
        ).toBe(false);
      }),
    );
  });
});
