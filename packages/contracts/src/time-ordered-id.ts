import { v7 as uuidv7 } from 'uuid';

// Crockford's base32 alphabet, lower case: no i, l, o or u, so an id read aloud or retyped survives.
const alphabet = '0123456789abcdefghjkmnpqrstvwxyz';

/**
 * A new time-ordered id: a UUIDv7's 128 bits in base32, 26 characters instead of the 36 of its hex
 * form. Ids are stored with every event and in every index of a shot, so ten characters are kept
 * many times over; and, at the fixed width, ids still sort in the order they were made.
 */
export function timeOrderedId(): string {
  return base32Of(uuidv7(undefined, new Uint8Array(16)));
}

/**
 * 16 bytes as 26 base32 digits, most significant first (the first digit holds the top 3 bits). Done
 * 5 bits at a time in small integers: BigInt arithmetic took as long as making the UUID, for every event.
 */
export function base32Of(bytes: Uint8Array): string {
  let out = alphabet[bytes[0]! >> 5]!;
  let pending = bytes[0]! & 31;
  let bits = 5;
  for (let i = 1; i < 16; i++) {
    pending = (pending << 8) | bytes[i]!;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += alphabet[(pending >> bits) & 31];
    }
    pending &= (1 << bits) - 1;
  }
  return out;
}
