import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bridgedHost } from '../../../src/checks/kinds/bridged.js';
import { expandUrl } from '../../../src/checks/kinds/http.js';
import { registryBase } from '../../../src/checks/kinds/registry.js';

describe("a bridged daemon's loopback address (verify --sandbox --jobs)", () => {
  test("a URL naming this machine's loopback reaches the sandbox's own address", () => {
    assert.equal(
      expandUrl('http://127.0.0.1:8080/x', '127.0.0.3', true),
      'http://127.0.0.3:8080/x',
    );
    assert.equal(expandUrl('http://localhost:8080', '127.0.0.3', true), 'http://127.0.0.3:8080');
    assert.equal(
      expandUrl('http://${DAEMON_HOST}:8080/', '127.0.0.3', true),
      'http://127.0.0.3:8080/',
    );
    assert.equal(registryBase('127.0.0.1:5000', '127.0.0.3', true), 'http://127.0.0.3:5000');
  });

  test('other hosts, and daemons that are not bridged, are left as written', () => {
    assert.equal(expandUrl('http://127.0.0.10:80/', '127.0.0.3', true), 'http://127.0.0.10:80/');
    assert.equal(
      expandUrl('http://example.test/127.0.0.1', '127.0.0.3', true),
      'http://example.test/127.0.0.1',
    );
    // A local daemon at tcp://127.0.0.2: its 127.0.0.1 bindings are 127.0.0.1's.
    assert.equal(expandUrl('http://127.0.0.1:8080/', '127.0.0.2', false), 'http://127.0.0.1:8080/');
    assert.equal(expandUrl('http://127.0.0.1:8080/', '10.0.0.5', true), 'http://127.0.0.1:8080/');
    assert.equal(bridgedHost('localhost', '127.0.0.3', true), '127.0.0.3');
    assert.equal(bridgedHost('localhost', '127.0.0.3', false), 'localhost');
    assert.equal(bridgedHost('db.example', '127.0.0.3', true), 'db.example');
  });
});
