/** The file formats Shotcaller signs, by what their bytes say (an extension alone is never trusted). */
export type AssetFormat = 'image/png' | 'image/jpeg' | 'image/x-exr' | 'application/octet-stream';

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const EXR_MAGIC = Buffer.from([0x76, 0x2f, 0x31, 0x01]);

/** The format the bytes are in; `application/octet-stream` for anything else. */
export function sniffFormat(bytes: Uint8Array): AssetFormat {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 8));
  if (b.length >= 8 && b.equals(PNG_MAGIC)) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 4 && b.subarray(0, 4).equals(EXR_MAGIC)) return 'image/x-exr';
  return 'application/octet-stream';
}

/** The format a file name says it is in, for a file Shotcaller has only the hash of (vendor deliveries). */
export function formatOfName(name: string): string {
  const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  switch (ext) {
    case 'png':
      return 'image/png';
    case 'jpg':
    case 'jpeg':
      return 'image/jpeg';
    case 'exr':
      return 'image/x-exr';
    case 'tif':
    case 'tiff':
      return 'image/tiff';
    case 'dpx':
      return 'image/x-dpx';
    case 'mov':
      return 'video/quicktime';
    case 'mp4':
      return 'video/mp4';
    default:
      return 'application/octet-stream';
  }
}

/** PNG and JPEG carry their manifest inside; every other format gets a `.c2pa` sidecar bound by hash. */
export function embeds(format: string): format is 'image/png' | 'image/jpeg' {
  return format === 'image/png' || format === 'image/jpeg';
}

/**
 * The sidecar's name beside an asset, as C2PA tools look for it: the asset's name with its extension
 * replaced by `.c2pa` (`shot.1001.exr` → `shot.1001.c2pa`).
 */
export function sidecarName(assetName: string): string {
  const slash = assetName.lastIndexOf('/');
  const dot = assetName.lastIndexOf('.');
  return `${dot > slash + 1 ? assetName.slice(0, dot) : assetName}.c2pa`;
}
