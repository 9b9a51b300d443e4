import { createBearerCheck } from './auth.js';

test('accepts exactly "Bearer <key>" and nothing else', () => {
  const check = createBearerCheck('s3cret-key');
  expect(check('Bearer s3cret-key')).toBe(true);
  expect(check('bearer s3cret-key')).toBe(true); // the scheme is case-insensitive (RFC 9110)
  for (const wrong of [undefined, '', 'Bearer', 'Bearer ', 's3cret-key', 'Bearer s3cret-ke', 'Bearer s3cret-key ', 'Bearer S3CRET-KEY', 'Basic s3cret-key', 'Bearer s3cret-keyX']) {
    expect([wrong, check(wrong)]).toEqual([wrong, false]);
  }
});

test('an empty key in the header never matches, even against a server key that hashes alike', () => {
  // The digest of '' is compared like any other, and a missing header is never accepted.
  const check = createBearerCheck('');
  expect(check(undefined)).toBe(false);
  expect(check('Bearer ')).toBe(false);
});
