// Four projects: `npm test` runs unit, emulator and provider; `npm run test:e2e` runs the
// real Pulumi engine suite, which needs the CLI from scripts/ensure-pulumi.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: "node",
  transform: { "^.+\\.ts$": tsJest },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project("unit"),
    project("emulator"),
    project("provider"),
    project("e2e", { slowTestThreshold: 600 }),
  ],
};
