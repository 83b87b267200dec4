/** The parts of the agent's task environment the settings need, so they can be read without task-lib in tests. */
export interface TaskEnvironment {
  getInput(name: string): string;
  /** Undefined when the connection is not available to this task. */
  getEndpointScheme(id: string): string | undefined;
  getEndpointParameter(id: string, key: string): string | undefined;
  getEndpointData(id: string, key: string): string | undefined;
  getVariable(name: string): string | undefined;
  /** The job's System.AccessToken (SYSTEMVSSCONNECTION), which every task receives. */
  getSystemAccessToken(): string | undefined;
}
