/* Office time: the clock, dates and Vietnamese weekday names as the office reads them.
 *
 * Every page passes the office's time zone (SIGNAGE_TIMEZONE, in the page's
 * data-timezone): a TV, a kiosk or a laptop set to another zone, or to UTC, still shows
 * the office's hour and day. There is deliberately no default: a missing zone is a bug
 * of the page, not a reason to fall back to the browser's own.
 */

// ISO weekdays, 1 = Monday … 7 = Sunday (the numbering of the server and of the API).
export const WEEKDAY_NAMES = ["", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy",
                              "Chủ Nhật"];
const ISO_WEEKDAY = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

const asDate = (t) => (t instanceof Date ? t : new Date(t === undefined ? Date.now() : t));

/**
 * Formatters for one office time zone. Each takes a Date, milliseconds or an ISO string.
 *   clock(t)              "09:05" (with {seconds: true} "09:05:07")
 *   date(t)               "Thứ Năm, ngày 26 tháng 11 năm 2026" ({short: true}: "Thứ Năm, 26/11/2026")
 *   weekday(t)            4 (ISO)
 *   day(t)                "2026-11-26", the office date as the server writes it
 *   stamp(t)              "09:05 26/11/2026"
 */
export function officeTime(timeZone) {
  if (!timeZone) throw new Error("officeTime: the page must give the office time zone");
  const clockFmt = new Intl.DateTimeFormat("vi-VN", { timeZone, hour: "2-digit", minute: "2-digit",
                                                      hour12: false });
  const secondsFmt = new Intl.DateTimeFormat("vi-VN", { timeZone, hour: "2-digit", minute: "2-digit",
                                                        second: "2-digit", hour12: false });
  // Parts in a fixed English form, so the weekday maps to ISO whatever the ICU data says.
  const partsFmt = new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", day: "numeric",
                                                      month: "numeric", year: "numeric" });
  const stampFmt = new Intl.DateTimeFormat("vi-VN", { timeZone, hour: "2-digit", minute: "2-digit",
                                                      day: "2-digit", month: "2-digit",
                                                      year: "numeric", hour12: false });

  function parts(t) {
    return Object.fromEntries(partsFmt.formatToParts(asDate(t)).map((p) => [p.type, p.value]));
  }
  const two = (n) => String(n).padStart(2, "0");

  return {
    timeZone,
    clock(t, { seconds = false } = {}) {
      return (seconds ? secondsFmt : clockFmt).format(asDate(t));
    },
    weekday(t) {
      return ISO_WEEKDAY[parts(t).weekday];
    },
    date(t, { short = false } = {}) {
      const p = parts(t);
      const name = WEEKDAY_NAMES[ISO_WEEKDAY[p.weekday]];
      return short ? `${name}, ${two(p.day)}/${two(p.month)}/${p.year}`
                   : `${name}, ngày ${p.day} tháng ${p.month} năm ${p.year}`;
    },
    day(t) {
      const p = parts(t);
      return `${p.year}-${two(p.month)}-${two(p.day)}`;
    },
    stamp(t) {
      return stampFmt.format(asDate(t));
    },
  };
}

/** An estimated wait as a citizen reads it, the same on the kiosk and the phone:
 *  "Sắp đến lượt" under half a minute, else "khoảng N phút". */
export function waitText(seconds) {
  const m = Math.round((seconds || 0) / 60);
  return m <= 0 ? "Sắp đến lượt" : `khoảng ${m} phút`;
}
