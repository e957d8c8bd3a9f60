# dance.awk: turns a --trace-loop log (stage 3 or 4) into an SVG, one row per task and one
# column per line of the log: dark where the task runs (step ... yield/await/return), pale
# where it waits (with what it waits for), orange where it is ready but not yet run, and a
# row for the loop itself, marking each select() with how long the thread slept.
# Used by scripts/teaching_pictures.sh (awk -v command='what ran' -v note='...'); mawk and
# gawk both run it.

function task_index(name) {
  if (!(name in row)) { row[name] = ++tasks; task_name[tasks] = name }
  return row[name]
}
function esc(text) { gsub(/&/, "\\&amp;", text); gsub(/</, "\\&lt;", text); gsub(/>/, "\\&gt;", text); return text }

# "[  0.000462] resolved connect -> request 1 is ready": the time, the kind, the rest.
/^\[/ {
  line = $0
  time = line; sub(/^\[ */, "", time); sub(/\].*/, "", time)
  rest = line; sub(/^[^\]]*\] +/, "", rest)
  kind = rest; sub(/ .*/, "", kind)
  sub(/^[a-z]+ +/, "", rest)
  n++
  kinds[n] = kind; times[n] = time
  if (kind == "select") {
    slept = rest; sub(/^woke after /, "", slept); sub(/ s:.*/, "", slept)
    label[n] = "slept " slept " s"
    next
  }
  task = rest; what = ""
  if (kind == "yield" || kind == "await") { what = task; sub(/.* waits for /, "", what); sub(/ waits for .*/, "", task) }
  if (kind == "resolved" || kind == "ready") { what = task; sub(/ -> .*/, "", what); sub(/.* -> /, "", task); sub(/ is ready$/, "", task) }
  if (kind == "return") sub(/ is done$/, "", task)
  who[n] = task_index(task); label[n] = what
}

END {
  cell = 24; left = 120; top = 74; height = 30
  width = left + n * cell + 20
  rows = tasks + 1  # the loop's own row last
  total = top + rows * height + 70
  printf "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' font-family='DejaVu Sans, Helvetica, Arial, sans-serif' fill='#222'>\n", width, total, width, total
  printf "<!-- %s -->\n", note
  printf "<title>The dance: which task runs when, from %s</title>\n", esc(command)
  print "<rect width='100%' height='100%' fill='white'/>"
  printf "<text x='%d' y='26' font-size='16' font-weight='bold'>The dance: %s, one column per line of the log</text>\n", left, esc(command)
  printf "<text x='%d' y='46' font-size='12'>dark: the task runs (a step); pale: it waits (for what); orange: ready, not yet run; grey: the thread sleeps in select()</text>\n", left
  for (t = 1; t <= rows; t++) {
    y = top + (t - 1) * height
    printf "<text x='%d' y='%d' font-size='13' text-anchor='end'>%s</text>\n", left - 8, y + height / 2 + 4, t <= tasks ? esc(task_name[t]) : "the loop"
  }
  # Each task's state carries over from column to column until the log changes it.
  for (t = 1; t <= tasks; t++) state[t] = ""
  for (i = 1; i <= n; i++) {
    x = left + (i - 1) * cell
    if (kinds[i] == "select") {
      printf "<rect x='%d' y='%d' width='%d' height='%d' fill='#999'/>\n", x, top + tasks * height + 4, cell - 2, height - 8
      printf "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>\n", x + cell / 2, top + rows * height + 14, label[i]
    }
    # One task runs at a time: a step of another suspends the one that ran (stage 4's
    # gather prints no await for the task that waits in it).
    if (kinds[i] == "step") {
      if (running && running != who[i] && state[running] == "run") state[running] = "wait"
      running = who[i]
    }
    for (t = 1; t <= tasks; t++) {
      fill = ""
      if (i in who && who[i] == t) {
        k = kinds[i]
        if (k == "resolved" || k == "ready") { state[t] = "ready"; fill = "#f0a030" }
        else {
          fill = "#2a5db0"
          state[t] = (k == "step") ? "run" : (k == "return") ? "" : "wait"
        }
        if (k == "yield" || k == "await") {
          notes = notes sprintf("<text x='%d' y='%d' font-size='10' fill='#333'>%s</text>\n", x + cell + 2, top + (t - 1) * height + height / 2 + 4, esc(label[i]))
        }
      } else if (state[t] == "run") fill = "#2a5db0"
      else if (state[t] == "wait") fill = "#e4e9f2"
      else if (state[t] == "ready") fill = "#f0a030"
      if (fill != "") printf "<rect x='%d' y='%d' width='%d' height='%d' fill='%s'/>\n", x, top + (t - 1) * height + 4, cell - 2, height - 8, fill
    }
    printf "<text x='%d' y='%d' font-size='9' fill='#777' text-anchor='middle'>%d</text>\n", x + cell / 2, top - 6, i
  }
  printf "%s", notes  # over the cells, so no later cell hides what a task waits for
  printf "<text x='%d' y='%d' font-size='12'>the numbers above are the log's lines; under the loop's row, how long each select() slept</text>\n", left, total - 18
  print "</svg>"
}
