import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import {
  detailSectionsPrelude,
  detailSectionsSource,
  detailSectionsStyle,
  HTML_DETAIL_SECTIONS,
} from '../../src/report/html-detail-sections.js';
import { HTML_CSP } from '../../src/report/html-report-renderer.js';

describe('HTML detail sections', () => {
  it('turns the registry into a script array whose ids and titles are data, not code', () => {
    const source = detailSectionsSource([
      { id: 'x', title: 'A "quoted" </script> title', render: 'function (box) { return box; }' },
    ]);
    const sections = runInNewContext(`(${source})`) as Array<{
      id: string;
      title: string;
      render: (b: number) => number;
    }>;
    expect(sections.map((s) => [s.id, s.title])).toEqual([['x', 'A "quoted" </script> title']]);
    expect(sections[0]?.render(7)).toBe(7);
  });

  it('keeps the built-in sections in their reading order, each a function', () => {
    expect(HTML_DETAIL_SECTIONS.map((s) => s.id)).toEqual([
      'trace-link',
      'stack',
      'causes',
      'request',
      'breadcrumbs',
      'context',
      'resources',
    ]);
    const sections = runInNewContext(`(${detailSectionsSource(HTML_DETAIL_SECTIONS)})`) as Array<{
      render: unknown;
    }>;
    expect(sections.every((s) => typeof s.render === 'function')).toBe(true);
  });

  it('gathers the preludes and styles of sections that have them', () => {
    const sections = [
      {
        id: 'a',
        title: '',
        render: 'function () {}',
        prelude: 'function helperA() {}',
        style: '.a{color:red}',
      },
      { id: 'b', title: 'B', render: 'function () {}' },
    ];
    expect(detailSectionsPrelude(sections)).toContain('function helperA() {}');
    expect(detailSectionsStyle(sections)).toBe('.a{color:red}');
    // The page's hashes cover whatever the sections add: still one script and one style hash.
    expect(HTML_CSP.match(/'sha256-/g)).toHaveLength(2);
  });
});
