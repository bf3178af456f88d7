// Remix options, imported by vite.config.ts. All v3 future flags are on so that the
// upgrade to React Router 7 is a rename, and app/routes.ts is the route table.
/** @type {import('@remix-run/dev').VitePluginConfig} */
export default {
  appDirectory: "app",
  // Tests build into their own folder so that a running `npm start` keeps its build.
  buildDirectory: process.env.REMIX_BUILD_DIR ?? "build",
  ignoredRouteFiles: ["**/*.test.*", "**/*.server-test.*"],
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_singleFetch: true,
    v3_lazyRouteDiscovery: true,
    v3_routeConfig: true,
  },
};
