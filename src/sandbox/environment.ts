/** The container environment the state machine gives the sandbox task (ECS container overrides). */
export const SANDBOX_ENV = { input: 'CLOUDMEND_SANDBOX_INPUT', output: 'CLOUDMEND_SANDBOX_OUTPUT' } as const;
