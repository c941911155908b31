import type { User } from '$lib/types';

declare global {
  namespace App {
    interface Locals {
      user: User | null;
      /** The viewer's IANA time zone, remembered in a cookie so that the server renders times as the browser would. */
      timeZone: string;
    }
    interface Error {
      message: string;
      code?: string;
    }
  }
}

export {};
