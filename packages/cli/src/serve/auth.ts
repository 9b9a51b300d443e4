import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Checks `Authorization: Bearer <key>` in constant time. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or content of the guess, and the key itself
 * is never compared byte by byte.
 */
export function createBearerCheck(key: string): (authorization: string | undefined) => boolean {
  const expected = createHash('sha256').update(key).digest();
  return (authorization) => {
    const match = /^Bearer (.+)$/i.exec(authorization ?? '');
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    return timingSafeEqual(given, expected) && match !== null;
  };
}
