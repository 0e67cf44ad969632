// Loaded by mocha before the unit suites (.mocharc.unit.json "require"): a deprecation warning
// fails the run, in this process and in every CLI or server child it starts, instead of scrolling
// past in the output where users would later meet it.
process.throwDeprecation = true;
process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --throw-deprecation`.trim();
