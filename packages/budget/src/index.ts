export {
  type AccuracyDimension,
  type AccuracyGroup,
  type AccuracyReport,
  accuracyDimensions,
  estimateAccuracy,
  isoWeek,
} from './accuracy';
export {
  type BudgetLine,
  BudgetLine as BudgetLineSchema,
  BudgetLineInput,
  parseBudgetLines,
  toMinor,
} from './budget-lines';
export {
  CurrentVersion,
  compareVersions,
  LineVersion,
  type VersionComparison,
} from './budget-versions';
export { type BurnPoint, burnPoints, burnSeries } from './burn';
export { compareRoutes, nearestRank } from './compare';
export { BudgetLineNotFound, BudgetVersionNotFound, ReportingCurrencyConflict } from './errors';
export { Fact, factOf } from './facts';
export {
  AmountTooLarge,
  convertExactly,
  FxRates,
  lookBackDays,
  type MissingRate,
  type Ratio,
  ratioOf,
  roundHalfEven,
} from './fx';
export { parseFxRatesFile } from './fx-rates-file';
export { budgetKeys } from './keys';
export { type LedgerChange, type LineDelta, type LineTotals, ledgerChange } from './ledger-change';
export { foldFacts, foldRow, LedgerRow, type RowMoney } from './ledger-row';
export { BudgetProjection } from './projection';
export { providerSpend } from './provider-spend';
export { type RateCardsLike, type RateSuggestion, suggestRateCards } from './rate-card-correction';
export { costReportCsv, reportColumns, toMajor } from './report-csv';
export { type RollupBy, type RollupRow, rollup } from './rollup';
export { seedBudgetLines, seedFxRates } from './seed-events';
export { decodeFacts, encodeFact, LedgerUnreadable, type StoredFact } from './stored-facts';
export { type BudgetTrackerOptions, startBudgetTracker } from './tracker';
