/** The sandbox port: the agent and the validators, isolated (a Fargate task in AWS; a jailed process locally). */

/** The awsvpc network of the sandbox task (ECS RunTask's `AwsvpcConfiguration`). */
export interface SandboxNetwork {
  readonly Subnets: readonly string[];
  readonly SecurityGroups: readonly string[];
  readonly AssignPublicIp: 'DISABLED';
}

/**
 * The sandbox: the model agent, and the validators (terraform validate, cfn-lint) on any patch. In
 * AWS the state machine runs it as a Fargate task, and only `network` is asked of this port;
 * locally `run` starts the sandboxed agent process, or runs the validators in their jail.
 */
export interface SandboxPort {
  network(): Promise<SandboxNetwork>;
  /**
   * Runs the sandbox task at artifact `input` (the agent's, or the validators' on a patch),
   * leaving its output (`SandboxOutput`, `ValidationOutput`) at `output`.
   */
  run(request: { readonly input: string; readonly output: string }): Promise<void>;
}
