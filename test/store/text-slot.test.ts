import { describe, expect, it } from 'vitest';
import { RepeatBases } from '../../src/store/repeat-bases.js';
import { TextSlot } from '../../src/store/text-slot.js';

describe('TextSlot', () => {
  it('gives back exactly the text last set, whatever its characters and length', () => {
    const slot = new TextSlot();
    expect(slot.text).toBe('');
    const texts = [
      '{"id":"a"}',
      `{"message":"渲染失败：视频 9f86d081 第 3 段","emoji":"🎬"}`,
      'x'.repeat(10_000),
      '短',
      `${'é'.repeat(300)}🎬`,
      '',
    ];
    for (const text of texts) {
      slot.set(text);
      expect(slot.text).toBe(text);
    }
  });

  it('reuses its buffer for a text no longer than the one it was sized for', () => {
    const slot = new TextSlot();
    slot.set('a'.repeat(2_000));
    const capacity = slot.capacity;
    for (let n = 2_000; n > 0; n -= 97) {
      slot.set('b'.repeat(n));
      expect(slot.text).toBe('b'.repeat(n));
    }
    expect(slot.capacity).toBe(capacity);
  });
});

describe('RepeatBases', () => {
  const line = (fp: string, id: string) =>
    JSON.stringify({ schema: 1, id, time: '2026-11-20T10:00:00.000Z', fingerprint: fp });

  it('keeps the last whole line of each fingerprint of the file being read, and none of the file before', () => {
    const bases = new RepeatBases(10);
    bases.startFile();
    bases.remember('fp1', line('fp1', 'a-0001-t'));
    bases.remember('fp1', line('fp1', 'a-0002-t'));
    bases.remember('fp2', line('fp2', 'a-0003-t'));
    expect(bases.base('fp1')?.record.id).toBe('a-0002-t');
    expect(bases.base('fp2')?.ref).toBe('a-0003');
    expect(bases.base('fp3')).toBeUndefined();
    bases.startFile();
    expect(bases.base('fp1')).toBeUndefined();
    bases.remember('fp3', line('fp3', 'b-0001-t'));
    expect(bases.base('fp3')?.record.id).toBe('b-0001-t');
  });

  it('remembers at most `max` fingerprints per file; the ones after have no base', () => {
    const bases = new RepeatBases(3);
    bases.startFile();
    for (let i = 0; i < 5; i++) bases.remember(`fp${i}`, line(`fp${i}`, `a-000${i}-t`));
    expect([0, 1, 2, 3, 4].map((i) => bases.base(`fp${i}`)?.record.id)).toEqual([
      'a-0000-t',
      'a-0001-t',
      'a-0002-t',
      undefined,
      undefined,
    ]);
    // A known fingerprint still moves on to its newer line.
    bases.remember('fp1', line('fp1', 'a-0009-t'));
    expect(bases.base('fp1')?.record.id).toBe('a-0009-t');
  });

  it('has no base for a line that is not JSON', () => {
    const bases = new RepeatBases(3);
    bases.startFile();
    bases.remember('fp1', '{"id":');
    expect(bases.base('fp1')).toBeUndefined();
  });
});
