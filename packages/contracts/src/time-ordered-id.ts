import { v7 as uuidv7 } from 'uuid';

// Crockford's base32 alphabet, lower case: no i, l, o or u, so an id read aloud or retyped survives.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new time-ordered id: a UUIDv7's 128 bits in base32, 26 characters instead of the 36 of its hex
 * form. Ids are stored with every event and in every index of a shot, so ten characters are kept
 * many times over; and, at the fixed width, ids still sort in the order they were made.
 */
export function timeOrderedId(): string {
  const bytes = uuidv7(undefined, new Uint8Array(16));
  let value = 0n;
  for (const b of bytes) value = (value << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 26; i++) {
    out = alphabet[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}
