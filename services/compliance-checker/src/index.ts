export { ComplianceChecker, type ComplianceCheckerOptions } from './checker';
