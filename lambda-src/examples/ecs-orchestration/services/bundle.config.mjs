// The container has no AWS SDK of its own (unlike the Lambda runtime): bundle it in.
export default { external: [] };
