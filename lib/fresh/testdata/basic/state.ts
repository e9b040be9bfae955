/** State of the fixture app. */
export interface TestState {
  trace: string[];
}
