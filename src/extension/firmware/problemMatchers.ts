/** Contributed in package.json (`problemMatchers`): gcc style, line-only (ld scripts, Kconfig), CMake, devicetree. */
export const buildProblemMatchers = ['$ota-gcc', '$ota-gcc-nocolumn', '$ota-cmake', '$ota-devicetree'];
