import { describe, expect, it } from 'vitest';
import { normalizeMessage } from '../../src/grouping/message-template.js';
import { TemplateMiner } from '../../src/grouping/template-miner.js';

describe('TemplateMiner', () => {
  it('mines the variable words the masks do not know into <*>', () => {
    const m = new TemplateMiner();
    const msgs = [
      "ENOENT: no such file or directory, open '/a/b.mp4'",
      "ENOENT: no such file or directory, stat '/c/d.mov'",
      "ENOENT: no such file or directory, lstat '/e'",
    ];
    let template = '';
    msgs.forEach((msg, i) => {
      template = m.add(normalizeMessage(msg), `fp-${i}`);
    });
    expect(template).toBe('ENOENT: no such file or directory, <*> <str>');
    expect(m.similarGroups()).toEqual([{ template, fingerprints: ['fp-0', 'fp-1', 'fp-2'], count: 3 }]);
    expect(m.similarTo('fp-1')).toEqual(['fp-0', 'fp-2']);
  });

  it('keeps messages of different shapes apart', () => {
    const m = new TemplateMiner();
    m.add('Invalid array length', 'a');
    m.add('encoder exited with code <num>', 'b');
    m.add('encoder exited with signal <str>', 'c');
    m.add('upload to <url> failed after <duration>', 'd');
    expect(m.templateOf('a')).toBe('Invalid array length');
    expect(m.templateOf('b')).toBe('encoder exited with <*> <*>');
    expect(m.similarTo('b')).toEqual(['c']);
    expect(m.similarTo('d')).toEqual([]);
  });

  it('does not join when fewer tokens agree than the similarity threshold', () => {
    const m = new TemplateMiner({ similarity: 0.9 });
    m.add('render failed at stage one', 'a');
    m.add('render failed at stage two', 'b');
    expect(m.similarGroups()).toEqual([]);
  });

  it('stays bounded in clusters and forgets removed fingerprints', () => {
    const m = new TemplateMiner({ maxClusters: 5 });
    // Token counts differ, so every message is a cluster of its own.
    const msg = (i: number) => Array.from({ length: i + 1 }, () => 'word').join(' ');
    for (let i = 0; i < 50; i++) m.add(msg(i), `fp-${i}`);
    expect(m.templateOf('fp-0')).toBeUndefined();
    expect(m.templateOf('fp-44')).toBeUndefined();
    expect(m.templateOf('fp-49')).toBe(msg(49));
    m.add('same words', 'p');
    m.add('same words', 'q');
    m.remove('p');
    expect(m.similarTo('q')).toEqual([]);
  });

  it('rejects a similarity outside 0..1', () => {
    expect(() => new TemplateMiner({ similarity: 2 })).toThrow(RangeError);
  });
});
