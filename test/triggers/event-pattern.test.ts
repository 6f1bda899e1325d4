import { describe, expect, it } from 'vitest';
import type { EventPattern } from '../../src/triggers/event-pattern.js';
import { matchEventPattern, matchesEventPattern } from '../../src/triggers/event-pattern.js';

// Examples from the EventBridge user guide ("Event patterns", "Content filtering", "Comparison
// operators"), restated as [what, pattern, event, matches] rows: each operator matches and misses.
type Row = readonly [string, EventPattern, unknown, boolean];

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

const detail = (fields: Record<string, unknown>) => ({ source: 'test', detail: fields });

describe('matchEventPattern', () => {
  describe('exact values', () => {
    const autoScaling = {
      source: 'aws.autoscaling',
      'detail-type': 'EC2 Instance Launch Successful',
      resources: [],
      detail: { eventVersion: '', responseElements: null },
    };
    const macie = {
      source: 'aws.macie',
      'detail-type': 'Macie Alert',
      detail: { 'risk-score': 80, trigger: { risk: 8, 'alert-type': 'basic' } },
    };
    const terminated = {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    };
    const rows: Row[] = [
      ['matches every listed field (AND) at its nesting', terminated, ec2Event, true],
      ['misses when one field differs', terminated, { ...ec2Event, detail: { state: 'running' } }, false],
      ['misses when a field is absent', { source: ['aws.ec2'], detail: { reason: ['x'] } }, ec2Event, false],
      ['matches any listed alternative (OR)', { source: ['aws.ec2', 'aws.fargate'] }, { source: 'aws.fargate' }, true],
      ['misses when no alternative is the value', { source: ['aws.ec2', 'aws.fargate'] }, { source: 'aws.ecs' }, false],
      ['compares strings exactly, without case folding', { source: ['AWS.EC2'] }, ec2Event, false],
      ['matches null', { detail: { responseElements: [null] } }, autoScaling, true],
      ['matches the empty string', { detail: { eventVersion: [''] } }, autoScaling, true],
      ['does not let the empty string match null', { detail: { responseElements: [''] } }, autoScaling, false],
      ['does not let null match the empty string', { detail: { eventVersion: [null] } }, autoScaling, false],
      ['matches numbers in nested objects', { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } }, macie, true],
      ['misses a different number', { detail: { 'risk-score': [81] } }, macie, false],
      [
        'compares numbers numerically, so 300 matches 300.0 and 3.0e2',
        { detail: { n: [300] } },
        JSON.parse('{"detail":{"n":3.0e2}}'),
        true,
      ],
      ['does not let a number match its string form', { detail: { n: [300] } }, detail({ n: '300' }), false],
      ['does not let a string match the number it spells', { detail: { n: ['300'] } }, detail({ n: 300 }), false],
      ['matches booleans', { detail: { on: [true] } }, detail({ on: true }), true],
      ['does not let true match "true"', { detail: { on: [true] } }, detail({ on: 'true' }), false],
      ['does not let false match null or 0', { detail: { on: [false] } }, detail({ on: 0 }), false],
      ['ignores fields the pattern leaves out', { detail: { state: ['terminated'] } }, ec2Event, true],
      ['treats a pattern field reaching an object in the event as absent', { detail: [null] }, ec2Event, false],
      ['misses every field when the event is not an object', { source: ['aws.ec2'] }, 'aws.ec2', false],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });
  });

  describe('prefix, suffix, equals-ignore-case and wildcard', () => {
    const rows: Row[] = [
      ['prefix matches the start of a string', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-02T18:43:48Z' }, true],
      ['prefix misses other strings', { time: [{ prefix: '2017-10-02' }] }, { time: '2017-10-03T18:43:48Z' }, false],
      ['prefix is case-sensitive', { Region: [{ prefix: 'us-' }] }, { Region: 'US-east-1' }, false],
      [
        'prefix with equals-ignore-case ignores case',
        { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
        detail({ service: 'eventbridge' }),
        true,
      ],
      [
        'prefix with equals-ignore-case still anchors at the start',
        { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } },
        detail({ service: 'Amazon EventBridge' }),
        false,
      ],
      ['suffix matches the end of a string', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.png' }, true],
      ['suffix misses other strings', { FileName: [{ suffix: '.png' }] }, { FileName: 'image.PNG' }, false],
      [
        'suffix with equals-ignore-case ignores case',
        { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
        detail({ FileName: 'photo.PNG' }),
        true,
      ],
      [
        'suffix with equals-ignore-case misses other endings',
        { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } },
        detail({ FileName: 'photo.jpg' }),
        false,
      ],
      ['equals-ignore-case matches any casing', { detail: { name: [{ 'equals-ignore-case': 'alice' }] } }, detail({ name: 'ALiCe' }), true],
      [
        'equals-ignore-case needs the whole value',
        { detail: { name: [{ 'equals-ignore-case': 'alice' }] } },
        detail({ name: 'alice2' }),
        false,
      ],
      ['equals-ignore-case folds non-ASCII letters too', { city: [{ 'equals-ignore-case': 'ÉVORA' }] }, { city: 'évora' }, true],
      [
        'wildcard matches any run of characters',
        { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
        { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/main' },
        true,
      ],
      [
        'wildcard misses when a literal part differs',
        { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
        { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/main' },
        false,
      ],
      ['wildcard "*" spans path separators', { key: [{ wildcard: 'dir/*.png' }] }, { key: 'dir/sub/init.png' }, true],
      ['wildcard "*" matches the empty string', { key: [{ wildcard: 'dir/*.png' }] }, { key: 'dir/.png' }, true],
      ['wildcard is anchored at both ends', { key: [{ wildcard: 'dir/*.png' }] }, { key: 'dir/init.png.bak' }, false],
      ['wildcard does not let literal parts overlap', { key: [{ wildcard: 'ab*ba' }] }, { key: 'aba' }, false],
      ['wildcard does not let a middle part overlap the end', { key: [{ wildcard: 'a*b*ba' }] }, { key: 'aba' }, false],
      ['wildcard places repeated literals correctly', { key: [{ wildcard: '*a*a*b' }] }, { key: 'xaxaab' }, true],
      ['wildcard "\\*" is a literal asterisk', { key: [{ wildcard: 'a\\*b' }] }, { key: 'a*b' }, true],
      ['wildcard "\\*" does not match other characters', { key: [{ wildcard: 'a\\*b' }] }, { key: 'axb' }, false],
      ['wildcard "\\\\" is a literal backslash', { key: [{ wildcard: 'C:\\\\*' }] }, { key: 'C:\\temp' }, true],
      ['wildcard without "*" is plain equality', { key: [{ wildcard: 'exact' }] }, { key: 'exact' }, true],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });

    // The docs say these work on string values; EventBridge compares them with the quoted JSON text,
    // so they never match numbers, booleans or null, and an empty prefix matches every string.
    it.each([
      ['prefix', { prefix: '1' }],
      ['suffix', { suffix: '1' }],
      ['equals-ignore-case', { 'equals-ignore-case': '1' }],
      ['wildcard', { wildcard: '*' }],
    ])('does not let %s match a number', (_name, operator) => {
      expect(matchesEventPattern({ n: [operator] }, { n: 1 })).toBe(false);
    });

    it('lets an empty prefix match any string but not null', () => {
      expect(matchesEventPattern({ source: [{ prefix: '' }] }, { source: 'anything' })).toBe(true);
      expect(matchesEventPattern({ source: [{ prefix: '' }] }, { source: '' })).toBe(true);
      expect(matchesEventPattern({ source: [{ prefix: '' }] }, { source: null })).toBe(false);
    });
  });

  describe('anything-but', () => {
    const rows: Row[] = [
      [
        'a string excludes that string',
        { detail: { state: [{ 'anything-but': 'initializing' }] } },
        detail({ state: 'initializing' }),
        false,
      ],
      ['a string matches other strings', { detail: { state: [{ 'anything-but': 'initializing' }] } }, detail({ state: 'running' }), true],
      ['a number excludes that number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, detail({ 'x-limit': 123 }), false],
      ['a number matches other numbers', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, detail({ 'x-limit': 124 }), true],
      [
        'a string list excludes each string',
        { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
        detail({ state: 'overloaded' }),
        false,
      ],
      [
        'a string list matches other strings',
        { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
        detail({ state: 'running' }),
        true,
      ],
      [
        'a number list excludes each number',
        { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        detail({ 'x-limit': 200 }),
        false,
      ],
      [
        'a number list matches other numbers',
        { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
        detail({ 'x-limit': 250 }),
        true,
      ],
      [
        'prefix excludes strings with that prefix',
        { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        detail({ state: 'initializing' }),
        false,
      ],
      [
        'prefix matches strings without it',
        { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } },
        detail({ state: 'running' }),
        true,
      ],
      ['suffix excludes strings with that suffix', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.png' }, false],
      ['suffix matches strings without it', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, { FileName: 'a.txt' }, true],
      [
        'equals-ignore-case excludes any casing',
        { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
        { state: 'INITIALIZING' },
        false,
      ],
      [
        'equals-ignore-case matches other values',
        { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
        { state: 'running' },
        true,
      ],
      [
        'an equals-ignore-case list excludes each',
        { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Overloaded'] } }] },
        { state: 'stopped' },
        false,
      ],
      [
        'an equals-ignore-case list matches others',
        { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'Overloaded'] } }] },
        { state: 'running' },
        true,
      ],
      [
        'wildcard excludes matching strings',
        { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
        { FilePath: '/usr/lib/x.so' },
        false,
      ],
      ['wildcard matches other strings', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, { FilePath: '/usr/bin/x' }, true],
      [
        'a wildcard list excludes each',
        { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }] },
        { FilePath: 'x.tmp' },
        false,
      ],
      [
        'a wildcard list matches others',
        { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*.tmp'] } }] },
        { FilePath: '/usr/bin/x' },
        true,
      ],
      ['a prefix list excludes each', { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, { Region: 'eu-west-1' }, false],
      ['a prefix list matches others', { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, { Region: 'ap-south-1' }, true],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });

    // Where the docs are silent, these follow AWS: EventBridge matches `{"anything-but": ["a"]}`
    // against null, `{"anything-but": {"prefix": ...}}` against numbers, and never an absent field.
    it.each([
      ['a string list', ['stopped', 'running'], null, true],
      ['a string list', ['stopped', 'running'], 5, true],
      ['a string list', ['stopped', 'running'], false, true],
      ['a number list', [100, 200], '100', true],
      ['a number', 0, null, true],
      ['a prefix', { prefix: 'init' }, 12, true],
      ['a wildcard', { wildcard: '*/dir/*' }, 123, true],
      ['an equals-ignore-case', { 'equals-ignore-case': 'x' }, true, true],
    ])('lets %s (%j) match the value %j of another type', (_what, operand, value, expected) => {
      expect(matchesEventPattern({ detail: { state: [{ 'anything-but': operand }] } }, detail({ state: value }))).toBe(expected);
    });

    it('does not match an absent field', () => {
      expect(matchesEventPattern({ detail: { state: [{ 'anything-but': 'initializing' }] } }, detail({}))).toBe(false);
    });

    it('matches an array when any element is not excluded', () => {
      const pattern = { detail: { state: [{ 'anything-but': 'stopped' }] } };
      expect(matchesEventPattern(pattern, detail({ state: ['stopped', 'running'] }))).toBe(true);
      expect(matchesEventPattern(pattern, detail({ state: ['stopped', 'stopped'] }))).toBe(false);
    });
  });

  describe('numeric', () => {
    const counts = { detail: { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 } };
    const rows: Row[] = [
      [
        'matches when every range holds',
        {
          detail: {
            'c-count': [{ numeric: ['>', 0, '<=', 5] }],
            'd-count': [{ numeric: ['<', 10] }],
            'x-limit': [{ numeric: ['=', 3.018e2] }],
          },
        },
        counts,
        true,
      ],
      ['misses when one range fails', { detail: { 'c-count': [{ numeric: ['>', 0, '<', 5] }] } }, counts, false],
      ['> excludes the bound', { n: [{ numeric: ['>', 5] }] }, { n: 5 }, false],
      ['>= includes the bound', { n: [{ numeric: ['>=', 5] }] }, { n: 5 }, true],
      ['< excludes the bound', { n: [{ numeric: ['<', 5] }] }, { n: 5 }, false],
      ['<= includes the bound', { n: [{ numeric: ['<=', 5] }] }, { n: 5 }, true],
      ['= matches the same number written differently', { n: [{ numeric: ['=', 3.018e2] }] }, { n: 301.8 }, true],
      ['= misses other numbers', { n: [{ numeric: ['=', 5] }] }, { n: 5.000001 }, false],
      ['a range handles negatives and fractions', { n: [{ numeric: ['>=', -1.5, '<', 0] }] }, { n: -0.25 }, true],
      ['a range misses values above it', { n: [{ numeric: ['>=', -1.5, '<', 0] }] }, { n: 0 }, false],
      ['does not match a numeric string', { n: [{ numeric: ['>', 0] }] }, { n: '5' }, false],
      ['does not match true', { n: [{ numeric: ['>', 0] }] }, { n: true }, false],
      ['does not match an absent field', { n: [{ numeric: ['>', 0] }] }, {}, false],
      ['matches when any array element is in range', { n: [{ numeric: ['>', 10] }] }, { n: [1, 2, 30] }, true],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });
  });

  describe('cidr', () => {
    const rows: Row[] = [
      [
        'matches an IPv4 address in the block',
        { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        detail({ sourceIPAddress: '10.0.0.255' }),
        true,
      ],
      [
        'misses an IPv4 address outside the block',
        { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
        detail({ sourceIPAddress: '10.0.1.0' }),
        false,
      ],
      ['handles masks that are not byte-aligned', { ip: [{ cidr: '192.168.0.0/22' }] }, { ip: '192.168.3.200' }, true],
      ['misses just past a non-aligned block', { ip: [{ cidr: '192.168.0.0/22' }] }, { ip: '192.168.4.0' }, false],
      ['treats /0 as every address of the family', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '203.0.113.9' }, true],
      ['matches an IPv6 address in the block', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:DB8:ffff::1' }, true],
      ['misses an IPv6 address outside the block', { ip: [{ cidr: '2001:db8::/32' }] }, { ip: '2001:db9::1' }, false],
      [
        'matches a fully written IPv6 address',
        { ip: [{ cidr: '2001:db8:1234:1a00::/64' }] },
        { ip: '2001:0db8:1234:1a00:0000:0000:0000:0001' },
        true,
      ],
      ['does not mix address families', { ip: [{ cidr: '0.0.0.0/0' }] }, { ip: '::1' }, false],
      ['does not match non-addresses', { ip: [{ cidr: '10.0.0.0/8' }] }, { ip: '10.0.0.256' }, false],
      ['does not match numbers', { ip: [{ cidr: '10.0.0.0/24' }] }, { ip: 123 }, false],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });

    it('compares an exact IP address string by address, as EventBridge does', () => {
      expect(matchesEventPattern({ ip: ['2001:db8::1'] }, { ip: '2001:DB8:0:0:0:0:0:1' })).toBe(true);
      expect(matchesEventPattern({ ip: ['2001:db8::1'] }, { ip: '2001:db8::2' })).toBe(false);
    });
  });

  describe('exists', () => {
    const noCount = { 'detail-type': 'EC2 Instance State-change Notification', detail: { state: ['initializing', 'running'] } };
    const objectCount = { ...noCount, detail: { ...noCount.detail, 'c-count': { c1: 100 } } };
    const rows: Row[] = [
      ['false matches an absent field', { detail: { 'c-count': [{ exists: false }] } }, noCount, true],
      ['false matches a field holding an object, which is not a leaf', { detail: { 'c-count': [{ exists: false }] } }, objectCount, true],
      ['false misses a present leaf', { detail: { 'c-count': [{ exists: false }] } }, detail({ 'c-count': 3 }), false],
      ['true matches a present leaf', { detail: { 'c-count': [{ exists: true }] } }, detail({ 'c-count': 3 }), true],
      ['true misses an absent field', { detail: { 'c-count': [{ exists: true }] } }, noCount, false],
      ['true misses a field holding an object', { detail: { 'c-count': [{ exists: true }] } }, objectCount, false],
      ['true matches null, which is a value', { detail: { 'c-count': [{ exists: true }] } }, detail({ 'c-count': null }), true],
      ['true misses an empty array, which holds no value', { detail: { 'c-count': [{ exists: true }] } }, detail({ 'c-count': [] }), false],
      ['false matches an empty array', { detail: { 'c-count': [{ exists: false }] } }, detail({ 'c-count': [] }), true],
      ['false matches when a parent is absent', { detail: { 'c-count': [{ exists: false }] } }, { source: 'x' }, true],
      ['false matches when a parent is a string', { detail: { 'c-count': [{ exists: false }] } }, { detail: 'text' }, true],
      ['combines with values as an alternative', { detail: { state: [{ exists: false }, 'running'] } }, detail({ state: 'running' }), true],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });
  });

  describe('$or', () => {
    const cloudwatch = {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }],
    };
    const rows: Row[] = [
      ['matches when the first branch does', cloudwatch, { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
      ['matches when a later branch does', cloudwatch, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
      ['misses when no branch does', cloudwatch, { source: 'aws.cloudwatch', metricName: 'DiskReadOps' }, false],
      ['still ANDs the fields outside it', cloudwatch, { source: 'aws.ec2', metricName: 'ReadLatency' }, false],
      [
        'works inside a nested object',
        {
          detail: {
            $or: [
              { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
              { 'd-count': [{ numeric: ['<', 10] }] },
              { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
            ],
          },
        },
        detail({ 'c-count': 50, 'd-count': 50, 'x-limit': 301.8 }),
        true,
      ],
      [
        'nests, with ANDs inside branches',
        {
          source: ['aws.cloudwatch'],
          $or: [
            { metricName: ['CPUUtilization'] },
            { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] },
          ],
        },
        { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 },
        true,
      ],
      [
        'requires the whole branch to hold',
        { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] },
        { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
        false,
      ],
    ];
    it.each(rows)('%s', (_what, pattern, event, expected) => {
      expect(matchesEventPattern(pattern, event)).toBe(expected);
    });

    it('reports the first branch when no branch matches', () => {
      const result = matchEventPattern(cloudwatch, { source: 'aws.cloudwatch', namespace: 'AWS/S3' });
      expect(result).toEqual({ matched: false, mismatch: { path: 'metricName', expected: ['CPUUtilization', 'ReadLatency'], actual: [] } });
    });
  });

  describe('mismatch reports', () => {
    it('matches the documented complex example', () => {
      const pattern = {
        time: [{ prefix: '2017-10-02' }],
        detail: {
          state: [{ 'anything-but': 'initializing' }],
          'c-count': [{ numeric: ['>', 0, '<=', 5] }],
          'd-count': [{ numeric: ['<', 10] }],
          'x-limit': [{ 'anything-but': [100, 200, 300] }],
          'source-ip': [{ cidr: '10.0.0.0/8' }],
        },
      };
      const event = {
        time: '2017-10-02T16:24:49Z',
        detail: { state: 'running', 'c-count': 5, 'd-count': 3, 'x-limit': 301.8, 'source-ip': '10.0.0.33' },
      };
      expect(matchEventPattern(pattern, event)).toEqual({ matched: true });
      expect(matchEventPattern(pattern, { ...event, detail: { ...event.detail, 'd-count': 12, 'x-limit': 100 } })).toEqual({
        matched: false,
        mismatch: { path: 'detail.d-count', expected: [{ numeric: ['<', 10] }], actual: [12] },
      });
    });

    it('names the first failing field in pattern order with an empty actual when absent', () => {
      const result = matchEventPattern({ source: ['aws.ec2'], detail: { state: ['running'], reason: ['x'] } }, ec2Event);
      expect(result).toEqual({ matched: false, mismatch: { path: 'detail.state', expected: ['running'], actual: ['terminated'] } });
      const absent = matchEventPattern({ detail: { reason: ['x'] } }, { source: 'aws.ec2' });
      expect(absent).toEqual({ matched: false, mismatch: { path: 'detail.reason', expected: ['x'], actual: [] } });
    });

    it('agrees with matchesEventPattern', () => {
      expect(matchesEventPattern({ source: ['aws.ec2'] }, ec2Event)).toBe(true);
      expect(matchesEventPattern({ source: ['aws.s3'] }, ec2Event)).toBe(false);
    });
  });
});
