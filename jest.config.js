// Six projects: `npm test` runs unit, emulator and provider; `npm run test:e2e` runs the
// real Pulumi engine suite, which needs the CLI from scripts/ensure-pulumi;
// `npm run test:reliability` runs the reliability suite (also under the engine); `npm run
// release:check` runs the release project.
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];
const project = (name, extra = {}) => ({
  displayName: name,
  testEnvironment: "node",
  transform: { "^.+\\.ts$": tsJest },
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  modulePathIgnorePatterns: ["<rootDir>/dist/"],
  moduleNameMapper: {
    // Examples import the package by its name; in this repo that is the source (as tsconfig's `paths`).
    "^pulumi-cloudflare-ai-search$": "<rootDir>/provider/index.ts",
    // One copy of @pulumi/pulumi, also for @pulumi/cloudflare's own dependency on it.
    "^@pulumi/pulumi(/.*)?$": "<rootDir>/node_modules/@pulumi/pulumi$1",
    // examples/with-cloudflare-provider's SDK, installed for its unit test (see test/fixtures/pulumi-cloudflare).
    "^@pulumi/cloudflare$": "<rootDir>/test/fixtures/pulumi-cloudflare/node_modules/@pulumi/cloudflare",
  },
  ...extra,
});

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    project("unit"),
    project("emulator"),
    project("provider"),
    project("e2e", { slowTestThreshold: 600 }),
    // `npm run test:reliability`: faults, bad input, secrets and fuzz, under the real engine.
    project("reliability", { slowTestThreshold: 900 }),
    // `npm run release:check`: the packed tarball as a consumer installs it (also under the engine).
    project("release", { slowTestThreshold: 300 }),
  ],
};
