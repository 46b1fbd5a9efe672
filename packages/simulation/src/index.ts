export {
  Comparison,
  FigureBasis,
  Outcome,
  RouteOrHold,
  SimulatedShot,
  SimulationReport,
  Turnaround,
} from './report';
export { simulationColumns, simulationCsv } from './report-csv';
export { foldHistories, type ShotHistory } from './shot-history';
export { type SimulationInput, simulate } from './simulate';
export { readSnapshot } from './snapshot';
export { turnaroundHistory } from './turnaround';
