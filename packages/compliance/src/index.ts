export { AlertClosed, AlertInbox, AlertNotFound } from './alert-inbox';
export { Alert, alertForRevocation, alertsForHold, type RaisedAlert } from './alerts';
export { catalogue, ruleCatalogueVersion } from './catalogue';
export { approvalsOf, matchingConsents, territoryCovered, usesNeeded } from './consent-match';
export { PrecheckInput, ProviderProfile } from './context';
export { precheck } from './precheck';
export { ConsentAlreadyRevoked, ConsentNotFound, ConsentRegistry } from './registry';
export type { Outcome, Rule } from './rule';
export { applyRuleConfig, type RuleChange, RuleConfig, RuleConfigRefused } from './rule-config';
