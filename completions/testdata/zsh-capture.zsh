# zsh-capture.zsh SCRIPT LINE OUT DUMP: types LINE and a TAB into an interactive
# zsh (in a pseudo-terminal, because completion only runs inside the line
# editor) that has sourced SCRIPT, and writes every candidate the
# completion system adds to OUT, one a line, then OUT.done. DUMP is
# compinit's cache: reading every completion function takes seconds, so
# the first run writes it and later runs only load it.
zmodload zsh/zpty || exit 2
script=$1 line=$2 out=$3 dump=$4
zpty capture zsh -f -i
zpty -w capture "PS1='' PROMPT_EOL_MARK=''; autoload -Uz compinit; compinit -u -C -d ${(q)dump}"
zpty -w capture "source ${(q)script}"
# compadd is wrapped: -A collects exactly the words that match what was
# typed; calls with -O/-A/-D only build lists for other helpers.
zpty -w capture "compadd() {
	if (( \${@[(I)-[OAD]]} )); then builtin compadd \"\$@\"; return; fi
	local -a hits; builtin compadd -A hits \"\$@\"
	(( \$#hits )) && print -rl -- \$hits >> ${(q)out}
	builtin compadd \"\$@\"
}"
zpty -w capture "_capture_done() { : >> ${(q)out}; print done > ${(q)out}.done }; zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' select-prompt ''"
zpty -w capture "comppostfuncs=(_capture_done)"
zpty -w capture "cd ${(q)PWD}"
zpty -w -n capture "$line"$'\t'
for i in {1..100}; do
	[[ -e $out.done ]] && break
	sleep 0.05
done
zpty -d capture
[[ -e $out.done ]] || { print -u2 "zsh-capture: no completion for: $line"; exit 1 }
