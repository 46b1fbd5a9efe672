import { createHash, type Hash } from 'node:crypto';

/**
 * Hashes a stream the way S3 checksums a multipart upload: the whole object's SHA-256, and the SHA-256
 * of each part of `partSize` bytes, whose digests hashed together (with `-<parts>`) are the
 * "composite" checksum S3 returns. Comparing it with S3's proves the store holds exactly these bytes.
 */
export class PartHasher {
  private readonly whole = createHash('sha256');
  private part: Hash = createHash('sha256');
  private inPart = 0;
  private readonly partDigests: Buffer[] = [];
  bytes = 0;

  constructor(private readonly partSize: number) {}

  update(chunk: Buffer): void {
    this.whole.update(chunk);
    this.bytes += chunk.length;
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(this.partSize - this.inPart, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.inPart += take;
      offset += take;
      if (this.inPart === this.partSize) this.closePart();
    }
  }

  private closePart(): void {
    this.partDigests.push(this.part.digest());
    this.part = createHash('sha256');
    this.inPart = 0;
  }

  /** The whole object's SHA-256 (hex) and the checksum S3 reports for it (base64, composite when in parts). */
  finish(): { sha256: string; s3Checksum: string } {
    if (this.inPart > 0) this.closePart();
    const whole = this.whole.digest();
    const s3Checksum =
      this.partDigests.length <= 1
        ? whole.toString('base64')
        : `${createHash('sha256').update(Buffer.concat(this.partDigests)).digest('base64')}-${this.partDigests.length}`;
    return { sha256: whole.toString('hex'), s3Checksum };
  }
}

export const hexToBase64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');
export const base64ToHex = (b64: string) => Buffer.from(b64, 'base64').toString('hex');

/** The SHA-256 (hex) and size of everything a stream yields. */
export async function digestOf(
  stream: AsyncIterable<Buffer | Uint8Array> | Iterable<Buffer | Uint8Array>,
): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), bytes };
}
