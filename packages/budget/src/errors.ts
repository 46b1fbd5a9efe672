import { ShotcallerError } from '@shotcaller/contracts';

/** A budget line no one has configured for this show. */
export class BudgetLineNotFound extends ShotcallerError {
  readonly code = 'budget_line_not_found';
  constructor(
    readonly lineId: string,
    readonly show: string,
  ) {
    super(`Show ${show} has no budget line ${lineId}: set it first (PUT /v1/budgets/lines/${lineId})`);
  }
}

/** A version a line does not have. */
export class BudgetVersionNotFound extends ShotcallerError {
  readonly code = 'budget_version_not_found';
  constructor(
    readonly lineId: string,
    readonly version: string,
    readonly known: readonly string[],
  ) {
    super(
      `Budget line ${lineId} has no version "${version}"${known.length ? ` (it has ${known.map((k) => `"${k}"`).join(', ')})` : ''}: record it first`,
    );
  }
}

/** A budget line in another currency than the show's other lines, which set its reporting currency. */
export class ReportingCurrencyConflict extends ShotcallerError {
  readonly code = 'reporting_currency_conflict';
  constructor(
    readonly show: string,
    readonly reporting: string,
    readonly given: string,
  ) {
    super(
      `Show ${show} reports in ${reporting}, the currency of its budget lines: give this line's amount in ${reporting} (costs in ${given} are converted at the rates of their dates)`,
    );
  }
}
