import { defineConfig } from "vite";

export default defineConfig({
  build: {
    target: "es2023",
    rolldownOptions: {
      output: {
        // Phaser gets a chunk of its own (as in the official template) once scenes import it.
        manualChunks: (id: string) => (id.includes("node_modules/phaser") ? "phaser" : undefined),
      },
    },
  },
});
