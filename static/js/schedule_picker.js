// The check-in schedule picker (liaisons/picker.py), a little quicker with JavaScript:
// only the choices the chosen pattern uses are shown, the rule field follows the picker
// as it changes, and typing a rule of one's own switches the picker to "Advanced". The
// server writes the rule from the picker in any case; without JavaScript every choice
// is shown and the form works the same. Loaded as a file: the CSP forbids inline script.
document.addEventListener("DOMContentLoaded", () => {
  const repeats = document.getElementById("id_repeats");
  const rule = document.getElementById("id_rrule");
  if (!repeats || !rule) return;
  const uses = {
    weekly: ["interval", "weekdays"],
    monthly_weekday: ["interval", "position", "weekday"],
    monthly_day: ["interval", "month_day"],
    daily: ["interval"],
    advanced: [],
  };
  const freq = { weekly: "WEEKLY", monthly_weekday: "MONTHLY", monthly_day: "MONTHLY", daily: "DAILY" };
  const value = (name) => (document.getElementById(`id_${name}`) || {}).value || "";
  const wrapper = (name) => document.getElementById(`div_id_${name}`);

  // The rule the server would write (picker_to_rrule), or "" while a choice is missing.
  const written = () => {
    const pattern = repeats.value;
    if (!freq[pattern]) return "";
    const interval = Number(value("interval")) || 1;
    const parts = [`FREQ=${freq[pattern]}`];
    if (interval !== 1) parts.push(`INTERVAL=${interval}`);
    if (pattern === "weekly") {
      const days = Array.from(document.querySelectorAll('input[name="weekdays"]:checked'), (box) => box.value);
      if (!days.length) return "";
      parts.push(`BYDAY=${days.join(",")}`); // the boxes are in order from Monday
    } else if (pattern === "monthly_weekday") {
      if (!value("position") || !value("weekday")) return "";
      parts.push(`BYDAY=${value("position")}${value("weekday")}`);
    } else if (pattern === "monthly_day") {
      if (!value("month_day")) return "";
      parts.push(`BYMONTHDAY=${value("month_day")}`);
    }
    return parts.join(";");
  };

  const update = () => {
    const shown = uses[repeats.value] || [];
    Object.keys({ interval: 1, weekdays: 1, position: 1, weekday: 1, month_day: 1 }).forEach((name) => {
      const box = wrapper(name);
      if (box) box.hidden = !shown.includes(name);
    });
    const text = written();
    if (text) rule.value = text;
  };

  const form = repeats.form;
  form.addEventListener("change", (event) => {
    if (event.target !== rule) update();
  });
  form.addEventListener("input", (event) => {
    if (event.target === rule) {
      repeats.value = "advanced";
      update();
    } else if (event.target.id === "id_interval") {
      update();
    }
  });
  update();
});
