// Names kept (like the fan-out consumer's bundle), so an invocation refused with
// InvalidKinesisEventError is logged under that name rather than a minified one.
export default { keepNames: true };
