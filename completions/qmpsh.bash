# bash completion for qmpsh                                  -*- shell-script -*-
# Copyright 2026 The qmpsh authors
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The binary completes its own command line (qmpsh --complete-args=bash),
# as gdbus does, so this never drifts from qmpsh's options: option names,
# their values, and for the address UNIX sockets and directories, not every
# file. Only the QEMU command after `--launch --` is left to bash.

_qmpsh()
{
	local cur="${COMP_WORDS[COMP_CWORD]}" i word

	for ((i = 1; i < COMP_CWORD; i++)); do
		if [[ ${COMP_WORDS[i]} == -- ]]; then
			if ((i + 1 == COMP_CWORD)); then
				mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
			elif declare -F _command_offset >/dev/null; then
				_command_offset $((i + 1))
			else
				mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			fi
			return
		fi
	done

	mapfile -t COMPREPLY < <("${COMP_WORDS[0]}" --complete-args=bash -- \
		"${COMP_LINE:0:COMP_POINT}" 2>/dev/null)
	# a word that goes on (--color=, a directory/) takes no space after it
	for word in "${COMPREPLY[@]}"; do
		if [[ $word == *[=/] ]]; then
			compopt -o nospace
			break
		fi
	done
} &&
	complete -F _qmpsh qmpsh

# ex: filetype=sh
