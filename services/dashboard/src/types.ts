/**
 * The API's documents the dashboard shows, as the contracts define them (docs/openapi.json). Type-only:
 * the schemas behind them stay out of the browser bundle.
 */
export type {
  ComplianceAlert as Alert,
  Money,
  RuleMatch,
  ShotView as Shot,
  TurnoverReport,
} from '@shotcaller/contracts';
