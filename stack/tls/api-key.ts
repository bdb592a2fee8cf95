import { randomBytes } from 'node:crypto';

/**
 * A new API key for a rig's inference workers: 32 random bytes in base64url (43 characters), a
 * bearer credential as RFC 6750 spells one, stored as a secret and handed to Prometheus as
 * `authorization.credentials_file`.
 */
export function generateApiKey(): string {
  return randomBytes(32).toString('base64url');
}
