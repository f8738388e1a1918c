import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILT_IN_RULES } from '../../src/classify/built-in-rules.js';
import type { ClassificationRule } from '../../src/classify/classification-rule.js';
import { ExceptionClassification } from '../../src/classify/exception-classification.js';
import { classifyException, ExceptionClassifier } from '../../src/classify/exception-classifier.js';

const enoent = (): Error =>
  Object.assign(new Error("ENOENT: no such file or directory, open '/v/a.mp4'"), {
    code: 'ENOENT',
    errno: -2,
    syscall: 'open',
    path: '/v/a.mp4',
  });

const userRule = (over: Partial<ClassificationRule>): ClassificationRule => ({
  id: 'user.rule',
  category: 'user-category',
  severity: 'low',
  retryable: true,
  suggestion: { en: 'user suggestion', zh: '用户建议' },
  ...over,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ExceptionClassification', () => {
  it('serializes to the record shape, severity text included and subcategory omitted when absent', () => {
    const c = new ExceptionClassification({
      category: 'aborted',
      severity: 'low',
      retryable: false,
      suggestion: 's',
      rule: 'aborted',
      severityText: 'WARN',
    });
    expect(c.toJSON()).toEqual({
      category: 'aborted',
      severity: 'low',
      retryable: false,
      suggestion: 's',
      rule: 'aborted',
      severityText: 'WARN',
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(JSON.parse(JSON.stringify(classifyException(enoent())))).toEqual(
      classifyException(enoent()).toJSON(),
    );
  });

  it('maps severity to OpenTelemetry severity text: critical FATAL, high and medium ERROR, low WARN', () => {
    const bySeverity = (severity: ClassificationRule['severity']) =>
      new ExceptionClassifier({ rules: [userRule({ severity })] }).classify(new Error('x')).severityText;
    expect(
      ['critical', 'high', 'medium', 'low'].map((s) => bySeverity(s as ClassificationRule['severity'])),
    ).toEqual(['FATAL', 'ERROR', 'ERROR', 'WARN']);
    const forced = new ExceptionClassifier({ rules: [userRule({ severity: 'high', severityText: 'WARN' })] });
    expect(forced.classify(new Error('x')).severityText).toBe('WARN');
  });
});

describe('rule order', () => {
  it('lets a specific rule win over a generic one for the same code (spawn ENOENT before ENOENT)', () => {
    const spawnErr = Object.assign(enoent(), { syscall: 'spawn ffmpeg', path: 'ffmpeg' });
    expect([classifyException(spawnErr).rule, classifyException(enoent()).rule]).toEqual([
      'process.command-not-found',
      'filesystem.not-found',
    ]);
  });

  it('lets a code rule win over the class-name rule (a TypeError caused by ECONNREFUSED is a network error)', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyException(err).rule).toBe('network.connection-refused');
    expect(classifyException(new TypeError('x is not a function')).rule).toBe('programming.type-error');
  });

  it('tries user rules before the built-ins, whatever criterion they use', () => {
    const byMessage = userRule({ id: 'user.by-message', message: /open '\/v\// });
    const byCodePattern = userRule({ id: 'user.by-code-pattern', code: /^ENO/ });
    expect(new ExceptionClassifier({ rules: [byMessage] }).classify(enoent()).rule).toBe('user.by-message');
    expect(new ExceptionClassifier({ rules: [byCodePattern] }).classify(enoent()).rule).toBe(
      'user.by-code-pattern',
    );
    const both = new ExceptionClassifier({ rules: [byCodePattern, byMessage] });
    expect(both.classify(enoent()).rule).toBe('user.by-code-pattern');
    expect(both.ruleIds.slice(0, 3)).toEqual([
      'user.by-code-pattern',
      'user.by-message',
      BUILT_IN_RULES[0]!.id,
    ]);
  });

  it('replaces a built-in rule that has the same id, keeping the built-ins after it', () => {
    const override = userRule({
      id: 'filesystem.not-found',
      code: 'ENOENT',
      category: 'input',
      subcategory: 'missing',
    });
    const classifier = new ExceptionClassifier({ rules: [override] });
    expect(classifier.classify(enoent()).toJSON()).toMatchObject({
      category: 'input',
      rule: 'filesystem.not-found',
    });
    expect(classifier.ruleIds.filter((id) => id === 'filesystem.not-found')).toHaveLength(1);
    expect(classifier.ruleIds).toHaveLength(BUILT_IN_RULES.length);
    expect(classifier.classify(Object.assign(new Error('x'), { code: 'EACCES' })).rule).toBe(
      'permission.denied',
    );
  });

  it('matches a user rule by class name through the constructor, since subclasses often keep name "Error"', () => {
    class RenderError extends Error {}
    const classifier = new ExceptionClassifier({
      rules: [userRule({ id: 'user.render', name: 'RenderError' })],
    });
    expect(classifier.classify(new RenderError('frame 12')).rule).toBe('user.render');
    expect(classifier.classify({ name: 'RenderError', message: 'rebuilt from an event' }).rule).toBe(
      'user.render',
    );
  });

  it('requires every criterion a rule sets', () => {
    const rule = userRule({ id: 'user.both', code: 'ENOENT', message: 'thumbnails' });
    const classifier = new ExceptionClassifier({ rules: [rule] });
    expect(classifier.classify(enoent()).rule).toBe('filesystem.not-found');
    expect(classifier.classify(Object.assign(new Error('thumbnails missing'), { code: 'ENOENT' })).rule).toBe(
      'user.both',
    );
  });

  it('gives the same answer every time for a rule written with a global RegExp', () => {
    const classifier = new ExceptionClassifier({ rules: [userRule({ message: /encode/g })] });
    const rules = [1, 2, 3].map(() => classifier.classify(new Error('encode failed')).rule);
    expect(rules).toEqual(['user.rule', 'user.rule', 'user.rule']);
  });
});

describe('values rebuilt from OpenTelemetry exception events', () => {
  it('reads the code of the first member of an AggregateError and of the causes of a stored record', () => {
    const aggregate = new AggregateError(
      [Object.assign(new Error('connect ECONNREFUSED ::1:4318'), { code: 'ECONNREFUSED' })],
      'all addresses failed',
    );
    const stored = {
      type: 'Error',
      message: 'export failed',
      causes: [{ type: 'Error', message: 'write', code: 'ENOSPC' }],
    };
    expect([classifyException(aggregate).rule, classifyException(stored).rule]).toEqual([
      'network.connection-refused',
      'disk.no-space',
    ]);
  });

  it('classifies a prototype-less { name, message, code } object by its code', () => {
    const rebuilt = Object.assign(Object.create(null), {
      name: 'Error',
      message: 'connect ECONNREFUSED',
      code: 'ECONNREFUSED',
    });
    expect(classifyException(rebuilt).rule).toBe('network.connection-refused');
  });

  it('reads a code that the stock recordException put into exception.type', () => {
    expect(classifyException({ name: 'ENOSPC', message: 'no space left on device, write' }).rule).toBe(
      'disk.no-space',
    );
    expect(classifyException({ type: 'EACCES', message: "permission denied, open '/x'" }).rule).toBe(
      'permission.denied',
    );
  });

  it('classifies a rebuilt MediaCommandError by the failure kind in its message', () => {
    const rebuilt = {
      name: 'ERR_MEDIA_COMMAND_FAILED',
      message: "ffmpeg exited with code 1 (media failure: encoder-not-found): Unknown encoder 'libx265'",
    };
    expect(classifyException(rebuilt).rule).toBe('media.encoder-not-found');
  });

  it('finds ffmpeg failure lines quoted in the message of other wrappers (fluent-ffmpeg style)', () => {
    const err = new Error('ffmpeg exited with code 1: in.mp4: Invalid data found when processing input');
    expect(classifyException(err).toJSON()).toMatchObject({
      category: 'input',
      subcategory: 'invalid-media',
    });
  });
});

describe('never throws', () => {
  it('classifies non-Error values as unknown/non-error-thrown with a suggestion to throw Errors', () => {
    const values = [null, undefined, 'boom', 0, false, Symbol('s'), 10n, { videoHash: 'x' }, [1, 2]];
    const rules = values.map((v) => classifyException(v));
    expect(new Set(rules.map((c) => `${c.category}/${c.subcategory}`))).toEqual(
      new Set(['unknown/non-error-thrown']),
    );
    expect(rules[0]!.suggestion).toMatch(/throw an Error/);
  });

  it('classifies a plain Error with no known trait as unknown with a useful suggestion', () => {
    const c = classifyException(new Error('something odd'));
    expect([c.category, c.rule]).toEqual(['unknown', 'unknown']);
    expect(c.suggestion).toMatch(/add a classification rule/);
  });

  it('survives hostile values: throwing getters, a revoked proxy, a throwing constructor getter', () => {
    const getterBomb = Object.defineProperty(new Error('x'), 'code', {
      get() {
        throw new Error('no');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const ctorBomb = Object.defineProperty({ message: 'm' }, 'constructor', {
      get() {
        throw new Error('no');
      },
    });
    expect([getterBomb, proxy, ctorBomb].map((v) => classifyException(v).category)).toEqual([
      'unknown',
      'unknown',
      'unknown',
    ]);
  });

  it('skips a rule whose predicate throws, counts it and reports it once on stderr', () => {
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const classifier = new ExceptionClassifier({
      rules: [
        userRule({
          id: 'user.broken',
          predicate: () => {
            throw new Error('bug in the rule');
          },
        }),
      ],
    });
    const rules = [1, 2, 3].map(() => classifier.classify(enoent()).rule);
    expect(rules).toEqual(['filesystem.not-found', 'filesystem.not-found', 'filesystem.not-found']);
    expect(classifier.failureCount).toBe(3);
    expect(write).toHaveBeenCalledTimes(1);
    expect(String(write.mock.calls[0]![0])).toContain('user.broken');
  });

  it('bounds the message a rule reads, so a 10 MB message costs no more than a few KB', () => {
    const huge = new Error(`${'x'.repeat(10_000_000)} Maximum call stack size exceeded`);
    expect(classifyException(huge).rule).toBe('unknown');
  });
});

describe('suggestions in English and Chinese', () => {
  it('gives every built-in rule a suggestion in both languages, and different ones', () => {
    for (const rule of BUILT_IN_RULES) {
      expect(typeof rule.suggestion, rule.id).toBe('object');
      const { en, zh } = rule.suggestion as { en: string; zh: string };
      expect(en.length, rule.id).toBeGreaterThan(30);
      expect(zh, rule.id).toMatch(/[\u4e00-\u9fff]/);
      expect(zh).not.toBe(en);
    }
  });

  it('answers in Chinese with locale zh and in English by default', () => {
    const zh = new ExceptionClassifier({ locale: 'zh' }).classify(enoent());
    expect(zh.suggestion).toMatch(/^文件或目录不存在/);
    expect(classifyException(enoent()).suggestion).toMatch(/^The file or directory does not exist/);
    const options = { locale: 'zh' as const };
    expect(classifyException(enoent(), options)).toBe(classifyException(enoent(), options));
  });

  it('uses a plain-string user suggestion in both locales', () => {
    const rule = userRule({ suggestion: 'Re-run the export' });
    expect(new ExceptionClassifier({ rules: [rule], locale: 'zh' }).classify(new Error('x')).suggestion).toBe(
      'Re-run the export',
    );
  });
});

describe('options are validated at construction', () => {
  it.each([
    [{ locale: 'fr' }, RangeError, /locale/],
    [{ rules: 'x' }, TypeError, /rules must be an array/],
    [{ rules: [userRule({ id: '' })] }, TypeError, /id must be/],
    [{ rules: [userRule({ id: 'a' }), userRule({ id: 'a' })] }, TypeError, /used twice/],
    [{ rules: [userRule({ severity: 'fatal' as never })] }, RangeError, /severity/],
    [{ rules: [userRule({ retryable: 'yes' as never })] }, TypeError, /retryable/],
    [{ rules: [userRule({ suggestion: { en: 'x' } as never })] }, TypeError, /suggestion/],
    [{ rules: [userRule({ status: [500, 400] })] }, RangeError, /status/],
    [{ rules: [userRule({ code: 5 as never })] }, TypeError, /code/],
    [{ rules: [userRule({ predicate: 'x' as never })] }, TypeError, /predicate/],
  ])('rejects %j', (options, type, message) => {
    expect(() => new ExceptionClassifier(options as never)).toThrow(type);
    expect(() => new ExceptionClassifier(options as never)).toThrow(message);
  });
});

describe('documentation', () => {
  it('documents each built-in rule with its category, severity text and retryability', async () => {
    const doc = await readFile(new URL('../../docs/classification.md', import.meta.url), 'utf8');
    const rows = new Map(
      doc
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .map((line) => line.split('|').map((cell) => cell.trim()))
        .map((cells) => [cells[1]!.replaceAll('`', ''), cells.slice(2, 5).join(' | ')]),
    );
    const classifier = new ExceptionClassifier();
    expect(classifier.ruleIds).toEqual(BUILT_IN_RULES.map((r) => r.id));
    for (const rule of BUILT_IN_RULES) {
      const text =
        rule.severityText ??
        { critical: 'FATAL', high: 'ERROR', medium: 'ERROR', low: 'WARN' }[rule.severity];
      const category =
        rule.subcategory === undefined
          ? `\`${rule.category}\``
          : `\`${rule.category}\` / ${rule.subcategory}`;
      expect(rows.get(rule.id), rule.id).toBe(
        `${category} | ${rule.severity} (${text}) | ${rule.retryable ? 'yes' : 'no'}`,
      );
    }
  });

  it('lists every built-in category and rule id in docs/classification.md', async () => {
    const doc = await readFile(new URL('../../docs/classification.md', import.meta.url), 'utf8');
    const missing = BUILT_IN_RULES.flatMap((r) => [r.category, r.id]).filter(
      (s) => !doc.includes(`\`${s}\``),
    );
    expect(missing).toEqual([]);
  });
});
