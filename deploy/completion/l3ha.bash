# bash completion for l3ha. Installed by the Debian package at
# /usr/share/bash-completion/completions/l3ha; by hand: source this file.
# test/deploy/completion.test.ts keeps it in step with the commands in src/cli/main.ts.

_l3ha() {
  local cur prev words cword
  if declare -F _init_completion >/dev/null; then
    _init_completion || return
  else
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD - 1]}
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
  fi

  local commands='check render agent status sweep failover notify history drill lab'
  local scenarios='node-loss keepalived-crash agent-crash graceful ha-partition flap chaos'
  local profiles='fast standard neutron'

  # The command (and for lab, its subcommand): the first words that are not options.
  local cmd='' sub='' i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      -*) ;;
      *)
        if [[ -z $cmd ]]; then cmd=${words[i]}
        elif [[ $cmd == lab && -z $sub ]]; then sub=${words[i]}
        fi
        ;;
    esac
  done

  case $prev in
    -c | --config)
      COMPREPLY=($(compgen -f -- "$cur"))
      return
      ;;
    --dir)
      COMPREPLY=($(compgen -d -- "$cur"))
      return
      ;;
    --profile)
      COMPREPLY=($(compgen -W "$profiles" -- "$cur"))
      return
      ;;
    -r | --router | --routers | --prefix | --run-id | --interval | --max-downtime)
      return
      ;;
  esac

  local opts=''
  case $cmd in
    '') opts='--help --version'; [[ $cur == -* ]] || opts=$commands ;;
    check) opts='--config --no-tools --warn-routers --help' ;;
    render) opts='--config --router --json --help' ;;
    agent) opts='--config --log-pretty --help' ;;
    status) opts='--config --json --watch --interval --help' ;;
    sweep) opts='--prefix --dir --help' ;;
    failover) opts='--config --all --help' ;;
    notify) opts='--help' ;;
    history) opts='--config --json --help' ;;
    drill)
      opts='--routers --profile --max-downtime --json --no-tcp --dir --run-id --html --duration --seed --kinds --help'
      [[ $cur == -* ]] || opts=$scenarios
      ;;
    lab)
      case $sub in
        '') opts='up down status --help' ;;
        up) opts='--routers --profile --dir --run-id --help' ;;
        down) opts='--dir --help' ;;
        status) opts='--dir --json --help' ;;
      esac
      ;;
  esac
  COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}
complete -F _l3ha l3ha
