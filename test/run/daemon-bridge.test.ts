// The pure parts of bridging a daemon that shares nothing with this machine.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { publishedPorts } from '../../src/run/port-bridge.js';
import { forTests, parseStatListing, safeKey } from '../../src/run/workdir-mirror.js';

describe('published ports', () => {
  test('each TCP host port once, 0.0.0.0 and IPv6 duplicates read as the loopback', () => {
    assert.deepEqual(
      publishedPorts({
        '3306/tcp': [
          { HostIp: '127.0.0.1', HostPort: '3306' },
          { HostIp: '::', HostPort: '3306' },
        ],
        '80/tcp': [
          { HostIp: '0.0.0.0', HostPort: '8080' },
          { HostIp: '::', HostPort: '8080' },
        ],
        '53/udp': [{ HostIp: '0.0.0.0', HostPort: '53' }],
        '9000/tcp': null,
        '5000/tcp': [{ HostIp: '10.0.0.7', HostPort: '5000' }],
      }),
      [
        { hostIp: '127.0.0.1', port: 3306 },
        { hostIp: '127.0.0.1', port: 8080 },
        { hostIp: '10.0.0.7', port: 5000 },
      ],
    );
  });
});

describe('the working directory on both sides', () => {
  test("busybox stat lines become a listing relative to the folder; '|' in a name survives", () => {
    const listing = parseStatListing(
      [
        'directory|4096|1700000000|750|/host/tmp/w/data',
        'regular file|12|1700000001|640|/host/tmp/w/data/ibdata1',
        'regular empty file|0|1700000002|644|/host/tmp/w/a|b',
        'symbolic link|3|1700000003|777|/host/tmp/w/link',
        'fifo|0|1700000004|644|/host/tmp/w/pipe',
        'regular file|1|1|644|/host/tmp/elsewhere',
      ].join('\n'),
      '/host/tmp/w',
    );
    assert.deepEqual([...listing.keys()], ['data', 'data/ibdata1', 'a|b', 'link']);
    assert.deepEqual(listing.get('data/ibdata1'), {
      type: 'file',
      size: 12,
      mtime: 1700000001,
      mode: 0o640,
    });
  });

  test('a name with a newline cannot forge a path out of the folder; the copy marker is not a file of the lesson', () => {
    // A container wrote a file named "x\nregular file|1|1|644|/host/tmp/w/../../../.ssh".
    const listing = parseStatListing(
      [
        'regular file|1|1|644|/host/tmp/w/x',
        'regular file|1|1|644|/host/tmp/w/../../../.ssh',
        'regular file|1|1|644|/host/tmp/w/a//b',
        'regular file|1|1|644|/host/tmp/w/./c',
        'regular empty file|0|1|644|/host/tmp/w/.docker-lab-copy',
      ].join('\n'),
      '/host/tmp/w',
    );
    assert.deepEqual([...listing.keys()], ['x']);
    assert.equal(safeKey('data/ibdata1'), true);
    assert.equal(safeKey('data/../../x'), false);
  });

  test('only what changed on one side moves, and what it wrote counts as synced', () => {
    const entry = (size: number, mtime = 1) => ({
      type: 'file' as const,
      size,
      mtime,
      mode: 0o644,
    });
    const then = new Map([
      ['a', entry(1)],
      ['b', entry(2)],
    ]);
    const now = new Map([
      ['a', entry(1)],
      ['b', entry(3)],
      ['c', entry(4)],
    ]);
    assert.deepEqual(forTests.changes(then, now), { changed: ['b', 'c'], gone: [] });
    assert.deepEqual(forTests.changes(now, then), { changed: ['b'], gone: ['c'] });
    // A pull wrote only `b`: `c`, made here meanwhile by a command, still goes at the next push.
    const absorbed = forTests.absorb(then, now, ['b']);
    assert.deepEqual([...absorbed.keys()].sort(), ['a', 'b']);
    assert.deepEqual(forTests.changes(absorbed, now).changed, ['c']);
  });
});
