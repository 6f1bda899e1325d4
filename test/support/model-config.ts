/** The config lines of a Bedrock model agent, for tests and benchmarks that drive one (scripted). */
export function bedrockModelConfig(modelId: string, budgets = { maxIterations: 4, maxTokens: 50_000, maxSeconds: 60 }): string {
  return `model:
  provider: bedrock
  modelId: ${modelId}
  region: us-east-1
  budgets: { maxIterations: ${budgets.maxIterations}, maxTokens: ${budgets.maxTokens}, maxSeconds: ${budgets.maxSeconds} }
policy: { default: pull_request }
`;
}
