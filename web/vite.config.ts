import { resolve } from "node:path";
import { defineConfig } from "vite";

// The build goes where `accord serve --static` serves it from: build/web in
// the checkout unless ACCORD_WEB_OUT says otherwise.
export default defineConfig({
  base: "./",
  build: {
    outDir: process.env.ACCORD_WEB_OUT ?? resolve(import.meta.dirname, "../build/web"),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 400,
  },
});
