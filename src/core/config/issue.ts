import type { ConfigDiagnostic } from './diagnostic';
import type { JsonPath, Target } from './merged';

/** A problem found by a check over the merged value, positioned by JSON path; the loader maps it to a file range. */
export interface PathIssue {
  path: JsonPath;
  target: Target;
  stage: ConfigDiagnostic['stage'];
  code: string;
  message: string;
  severity?: ConfigDiagnostic['severity'];
}
