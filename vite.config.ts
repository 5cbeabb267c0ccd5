import { defineConfig } from "vite";
import { levelsPlugin } from "./vite-plugin-levels.ts";

export default defineConfig({
  plugins: [levelsPlugin()],
  build: {
    target: "es2023",
    rolldownOptions: {
      output: {
        // Phaser gets a chunk of its own (as in the official template); it loads when a level is shown.
        manualChunks: (id: string) => (id.includes("node_modules/phaser") ? "phaser" : undefined),
      },
    },
  },
});
