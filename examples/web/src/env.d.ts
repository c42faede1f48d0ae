/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The API's base URL, default http://127.0.0.1:8000 (`make demo`). */
  readonly VITE_API_URL?: string;
}
