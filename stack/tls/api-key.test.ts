import { describe, expect, it } from 'vitest';
import { generateApiKey } from './api-key';

describe('API keys', () => {
  it('are 32 random bytes in base64url: 43 characters a bearer header carries, never the same twice', () => {
    const keys = Array.from({ length: 100 }, generateApiKey);
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(keys[0]!, 'base64url')).toHaveLength(32);
    expect(new Set(keys).size).toBe(100);
  });
});
