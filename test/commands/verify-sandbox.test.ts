import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { defaultJobs } from '../../src/commands/verify-sandbox.js';

const GiB = 2 ** 30;

describe('verify --jobs default', () => {
  test('one lesson per CPU, at most one per 2 GiB of memory, at least one', () => {
    assert.equal(defaultJobs(2, 24 * GiB), 2);
    assert.equal(defaultJobs(16, 8 * GiB), 4);
    assert.equal(defaultJobs(8, 1 * GiB), 1);
    assert.equal(defaultJobs(1, 64 * GiB), 1);
  });
});
