import { defineConfig } from "vite";

// Served on its own origin (http://localhost:5173 with `npm run dev`); the API allows it
// through CORS_ORIGINS (`make demo` allows localhost and 127.0.0.1 on 5173 and 3000).
export default defineConfig({
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 5173, strictPort: true },
});
