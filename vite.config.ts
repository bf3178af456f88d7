import { vitePlugin as remix } from "@remix-run/dev";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import remixConfig from "./remix.config.js";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [remix(remixConfig)],
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  server: { port: 3000 },
  build: {
    target: "es2022",
    rollupOptions: {
      // Two harmless notices would otherwise greet every `npm start`: zod's comments that Rollup
      // drops (INVALID_ANNOTATION), and the empty client chunks of resource routes (PDF, CSV,
      // API), which have no component by design (EMPTY_BUNDLE). Every other warning still shows.
      onwarn(warning, warn) {
        if (warning.code === "INVALID_ANNOTATION" || warning.code === "EMPTY_BUNDLE") return;
        warn(warning);
      },
    },
  },
});
