// The public API of error-insight. Everything a user imports comes from here; nothing else is public.

export type { CaptureLimits } from './capture/capture-limits.js';
export { DEFAULT_CAPTURE_LIMITS, resolveCaptureLimits } from './capture/capture-limits.js';
export { type RedactOptions, Redactor } from './capture/redactor.js';
export { BUILT_IN_RULES } from './classify/built-in-rules.js';
export type {
  ClassificationRule,
  ClassificationSubject,
  LocalizedText,
  SeverityText,
} from './classify/classification-rule.js';
export type { ClassifierLocale, ClassifierOptions } from './classify/classifier-options.js';
export { ExceptionClassification } from './classify/exception-classification.js';
export { classifyException, ExceptionClassifier } from './classify/exception-classifier.js';
export type { EngineOptions } from './engine/engine-options.js';
export type { EngineStats } from './engine/error-engine.js';
export type { ContextSample, ErrorGroup, ErrorStats } from './grouping/error-stats.js';
export {
  DEFAULT_FINGERPRINT_TOKEN,
  FINGERPRINT_VERSION,
  type FingerprintContext,
  type FingerprintOptions,
} from './grouping/fingerprint.js';
export type { FloodGuardOptions } from './grouping/flood-guard.js';
export { normalizeMessage } from './grouping/message-template.js';
export type { PatternDetectorOptions } from './grouping/pattern-options.js';
export type { PatternKind, PatternWarning } from './grouping/pattern-warning.js';
export { getExportLogger, type LogExportErrorOptions, logExportError } from './logger/default-logger.js';
export {
  ExportLogger,
  type ExportLoggerOptions,
  type ExportLogsOptions,
  type LogErrorOptions,
  type LogErrorsScope,
  type LoggerContext,
  type Swallowed,
} from './logger/export-logger.js';
export {
  type ErrorLoggingWrapper,
  type WithErrorLoggingOptions,
  withErrorLogging,
} from './logger/with-error-logging.js';
export { MediaCommandError, type MediaCommandErrorCode } from './media/media-command-error.js';
export { type MediaFailure, type MediaFailureKind, parseMediaFailure } from './media/media-failure.js';
export {
  type MediaCommandResult,
  type RunMediaCommandOptions,
  runMediaCommand,
} from './media/run-media-command.js';
export type { ExceptionSignal } from './otlp/exception-signal.js';
export type { OtlpExportStats } from './otlp/export-counters.js';
export {
  exportOtlpJson,
  type OtlpJsonExportOptions,
  type OtlpJsonExportResult,
} from './otlp/otlp-json-export-api.js';
export {
  ErrorInsightSpanProcessor,
  type ErrorInsightSpanProcessorOptions,
} from './processor/error-insight-span-processor.js';
export type {
  ClassificationInfo,
  ErrorRecord,
  ExceptionCause,
  ExceptionInfo,
  JsonObject,
  JsonValue,
  MemorySnapshot,
  RecordSource,
  Severity,
} from './record.js';
export { RECORD_SCHEMA_VERSION } from './record.js';
export {
  type ErrorInstrumentation,
  type OtlpOptions,
  type RegisterOptions,
  registerErrorInstrumentation,
} from './register.js';
export {
  REPORT_SCHEMA,
  type ReportAggregation,
  type ReportGroup,
  type ReportPatternWarning,
  type ReportSample,
  type ReportSourceSummary,
  type ReportStat,
  type ReportTimeline,
} from './report/report-aggregation.js';
export { aggregateReport, generateReport, readOtlpFiles } from './report/report-api.js';
export { ReportError, type ReportErrorCode, ReportOptionError } from './report/report-error.js';
export type { ReportFormat } from './report/report-format.js';
export { REPORT_FORMATS } from './report/report-format.js';
export {
  type AggregateReportOptions,
  DEFAULT_REPORT_OPTIONS,
  type ReportOptions,
  type ResolvedReportOptions,
  resolveReportOptions,
} from './report/report-options.js';
export type { TraceLinkOptions } from './report/trace-link.js';
export type { HeapSnapshotOptions, ResourceOptions } from './resources/resource-options.js';
export type { ResourceSnapshot } from './resources/resource-snapshot.js';
export * as attributes from './semconv.js';
export { JsonlStore, type StoreState, type StoreStats, serializeRecordLine } from './store/jsonl-store.js';
export { type PruneStoreOptions, pruneStore } from './store/prune-store.js';
export { listStoreFiles, readStore, type StoreReadFilters, type StoreReadStats } from './store/read-store.js';
export type { StoreFs } from './store/store-fs.js';
export {
  DEFAULT_STORE_OPTIONS,
  type ResolvedStoreOptions,
  resolveStoreOptions,
  type StoreOptions,
} from './store/store-options.js';
