export {
  SimulatedFigureBasis as FigureBasis,
  SimulatedOutcome as Outcome,
  SimulatedRoute as RouteOrHold,
  SimulatedShot,
  SimulatedTurnaround as Turnaround,
  SimulationComparison as Comparison,
  SimulationReport,
} from '@shotcaller/contracts';
export { simulationColumns, simulationCsv } from './report-csv';
export { foldHistories, type ShotHistory } from './shot-history';
export { type SimulationInput, simulate } from './simulate';
export { readSnapshot } from './snapshot';
export { turnaroundHistory } from './turnaround';
export { budgetLineRow, budgetLinesHead, comparisonHead, comparisonRow } from './what-if-tables';
