import { describe, expect, it } from 'vitest';
import { equivalentPaths, fileUriOf, pathOfFileUri, toLocalPath } from '../src/path-mapping';

const shows = ['/mnt/shows', 'S:\\shows', '/Volumes/shows'];

describe('path mapping between platforms', () => {
  it('reads a path the farm wrote as the Mac sees it', () => {
    expect(toLocalPath('/mnt/shows/NTH/sh-1/f.0001.png', [shows], '/Volumes/shows/shotcaller')).toBe(
      '/Volumes/shows/NTH/sh-1/f.0001.png',
    );
  });

  it('reads a path the farm wrote as Windows sees it, with its separators', () => {
    expect(toLocalPath('/mnt/shows/NTH/f.png', [shows], 'S:\\shows\\shotcaller')).toBe(
      'S:\\shows\\NTH\\f.png',
    );
  });

  it('reads a Windows path case-insensitively and writes it the Linux way', () => {
    expect(toLocalPath('s:\\SHOWS\\NTH\\f.png', [shows], '/mnt/shows/shotcaller')).toBe(
      '/mnt/shows/NTH/f.png',
    );
  });

  it('leaves a path already under the local root as it is, and reaches nothing without a mapping', () => {
    expect(toLocalPath('/mnt/shows/shotcaller/a', [], '/mnt/shows/shotcaller')).toBe(
      '/mnt/shows/shotcaller/a',
    );
    expect(toLocalPath('/mnt/other/a', [shows], '/mnt/shows/shotcaller')).toBeUndefined();
    expect(toLocalPath('/mnt/showsX/a', [shows], '/mnt/shows/shotcaller')).toBeUndefined();
  });

  it('prefers the longest matching root', () => {
    const nested = [
      ['/mnt/shows', '/Volumes/shows'],
      ['/mnt/shows/NTH', '/Volumes/nth'],
    ];
    expect(toLocalPath('/mnt/shows/NTH/a.png', nested, '/Volumes/nth')).toBe('/Volumes/nth/a.png');
  });

  it('lists a file as every platform sees it', () => {
    expect(equivalentPaths('/mnt/shows/NTH/f.png', [shows])).toEqual([
      '/mnt/shows/NTH/f.png',
      'S:\\shows\\NTH\\f.png',
      '/Volumes/shows/NTH/f.png',
    ]);
  });

  it('round-trips file URIs of every platform', () => {
    for (const path of ['/mnt/shows/a b/f#1.png', 'S:\\shows\\NTH\\f.png', '\\\\filer\\shows\\NTH\\f.png'])
      expect(pathOfFileUri(fileUriOf(path))).toBe(path);
    expect(fileUriOf('S:\\shows\\f.png')).toBe('file:///S:/shows/f.png');
    expect(pathOfFileUri('https://example.com/x')).toBeUndefined();
  });
});
