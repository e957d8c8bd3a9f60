# states.awk: draws stage 2's state diagram from stage2_state_machine/client.cpp itself:
# the states are `enum class State { ... }`; a method's edges go from the state in which the
# loop calls it (on_ready's `case State::X: return method();`, or idle for make_tcp_request,
# or every watched state for the deadline's callback) to each `state_ = State::Y` it
# assigns, and to done when it calls fail() or close(). Used by scripts/teaching_pictures.sh.

/enum class State \{/ {
  list = $0; sub(/.*\{ */, "", list); sub(/ *\}.*/, "", list)
  states = split(list, state_name, / *, */)
  for (s = 1; s <= states; s++) column[state_name[s]] = s
}
/^[a-zA-Z].* TcpClient::[a-z_]+\(/ {
  method = $0; sub(/.*TcpClient::/, "", method); sub(/\(.*/, "", method)
  methods[++nmethods] = method  # in the file's order, so the labels read in a fixed order
}
/^}/ { method = "" }
method != "" && /state_ = State::/ {
  target = $0; sub(/.*state_ = State::/, "", target); sub(/;.*/, "", target)
  assigns[method] = assigns[method] " " target
}
method != "" && /(^|[^a-z_])(fail|close)\(/ { assigns[method] = assigns[method] " done" }
method == "on_ready" && /case State::/ { pending = $0; sub(/.*State::/, "", pending); sub(/:.*/, "", pending); cases[++ncases] = pending }
method == "on_ready" && /return [a-z_]+\(\);/ {
  handler = $0; sub(/.*return /, "", handler); sub(/\(.*/, "", handler)
  for (c = 1; c <= ncases; c++) { from[handler] = from[handler] " " cases[c]; watched = watched " " cases[c] }
  ncases = 0
}
method != "" && /set_deadline\(.*on_[a-z_]+\(\)/ { deadline = $0; sub(/.*\{ */, "", deadline); sub(/\(.*/, "", deadline) }

function esc(text) { gsub(/&/, "\\&amp;", text); gsub(/</, "\\&lt;", text); gsub(/>/, "\\&gt;", text); return text }
function add_edges(method, sources,    s, t, ns, nt, src, dst) {
  ns = split(sources, src, " "); nt = split(assigns[method], dst, " ")
  for (s = 1; s <= ns; s++) for (t = 1; t <= nt; t++) {
    key = src[s] SUBSEP dst[t]
    if (src[s] == dst[t] || seen[key SUBSEP method]++) continue
    if (key in edge_label) edge_label[key] = edge_label[key] ", " method
    else edge_label[key] = method
  }
}

END {
  from["make_tcp_request"] = state_name[1]  # the first state: before the loop knows the client
  from[deadline] = watched
  for (m = 1; m <= nmethods; m++) if (methods[m] in from) add_edges(methods[m], from[methods[m]])
  box = 130; gap = 70; left = 30; mid = 150
  width = left * 2 + states * box + (states - 1) * gap
  printf "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='400' viewBox='0 0 %d 400' font-family='DejaVu Sans, Helvetica, Arial, sans-serif' fill='#222'>\n", width, width
  printf "<!-- %s -->\n", note
  print "<title>Stage 2: the states of one request (TcpClient::State) and the methods that move it</title>"
  print "<rect width='100%' height='100%' fill='white'/>"
  print "<defs><marker id='arrow' viewBox='0 0 10 10' refX='9' refY='5' markerWidth='7' markerHeight='7' orient='auto'><path d='M0,0 L10,5 L0,10 z' fill='#444'/></marker></defs>"
  printf "<text x='%d' y='28' font-size='16' font-weight='bold'>Stage 2: TcpClient::State, and the method that moves a request from one state to the next</text>\n", left
  for (s = 1; s <= states; s++) {
    x = left + (s - 1) * (box + gap)
    printf "<rect x='%d' y='%d' width='%d' height='44' rx='10' fill='#e4e9f2' stroke='#2a5db0'/>\n", x, mid - 22, box
    printf "<text x='%d' y='%d' font-size='15' text-anchor='middle'>%s</text>\n", x + box / 2, mid + 5, state_name[s]
  }
  # In the enum's order, not `for (key in ...)`'s: every awk then writes the same file.
  for (a = 1; a <= states; a++) for (b = 1; b <= states; b++) {
    key = state_name[a] SUBSEP state_name[b]
    if (!(key in edge_label)) continue
    xa = left + (a - 1) * (box + gap) + box / 2; xb = left + (b - 1) * (box + gap) + box / 2
    if (b == a + 1) {  # a neighbour: a straight arrow, its method above it
      printf "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='#444' marker-end='url(#arrow)'/>\n", xa + box / 2, mid, xb - box / 2, mid
      printf "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>\n", (xa + xb) / 2, mid - 30 - 0, esc(edge_label[key])
    } else {  # further along: an arc below, deeper the further it goes
      depth = 40 + (b - a) * 38
      printf "<path d='M%d,%d C%d,%d %d,%d %d,%d' fill='none' stroke='#444' marker-end='url(#arrow)'/>\n", xa, mid + 22, xa, mid + 22 + depth, xb, mid + 22 + depth, xb, mid + 22
      printf "<text x='%d' y='%d' font-size='11' text-anchor='middle'>%s</text>\n", (xa + xb) / 2, mid + 22 + depth * 0.75 + 4, esc(edge_label[key])
    }
  }
  printf "<text x='%d' y='385' font-size='12'>A method that returns without assigning state_ (part of the request sent, part of the line read) leaves the request where it was.</text>\n", left
  print "</svg>"
}
