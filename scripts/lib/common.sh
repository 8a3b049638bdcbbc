# Shared by the scripts in scripts/: repository paths, the Java flags Spark needs, and the Maven
# class path of the driver module, or of the bench module for scripts/bench (cached in the module's
# target/, rebuilt when a pom or source is newer).

SPARKFORMER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Spark binds to loopback unless told otherwise; one BLAS/OpenMP thread per task, since Spark already
# runs one task per core (set OMP_NUM_THREADS to change it).
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"

# The JVM flags every launcher passes: thread count for ND4J's OpenBLAS, then the --add-opens flags and
# the vector module.
java_flags() {
  echo "-Dorg.bytedeco.openblas.num_threads=$OMP_NUM_THREADS $(java_opens)"
}

# The --add-opens flags from the root pom's spark.java.opens property, and its kernels.java.modules (the
# vector API the worker kernels use where a JVM has it; same results without, only slower).
java_opens() {
  sed -n -e 's:.*<spark.java.opens>\(.*\)</spark.java.opens>.*:\1:p' \
      -e 's:.*<kernels.java.modules>\(.*\)</kernels.java.modules>.*:\1:p' "$SPARKFORMER_ROOT/pom.xml" | tr '\n' ' '
}

# Where the class path of MODULE (driver unless given) is cached.
classpath_file() {   # classpath_file [MODULE]
  echo "$SPARKFORMER_ROOT/${1:-driver}/target/sparkformer-classpath.txt"
}

# The source folders MODULE (driver unless given) is compiled from: its own and those it depends on.
module_sources() {   # module_sources [MODULE]
  local module="${1:-driver}"
  echo "$SPARKFORMER_ROOT/worker-kernels/src/main $SPARKFORMER_ROOT/data-pipeline/src/main $SPARKFORMER_ROOT/driver/src/main"
  [[ "$module" == driver ]] || echo "$SPARKFORMER_ROOT/$module/src/main"
}

# True when the cached class path or compiled classes of MODULE are older than any pom or main source.
classpath_stale() {   # classpath_stale [MODULE]
  local file
  file="$(classpath_file "${1:-}")"
  [[ -f "$file" ]] || return 0
  [[ -n "$(find "$SPARKFORMER_ROOT" -maxdepth 2 -name pom.xml -newer "$file" -print -quit)" ]] && return 0
  # shellcheck disable=SC2046
  [[ -n "$(find $(module_sources "${1:-}") "$SPARKFORMER_ROOT"/conf -maxdepth 12 -type f -newer "$file" \
      -print -quit 2>/dev/null)" ]] && return 0
  return 1
}

# Compiles MODULE (driver unless given) and the modules it needs and writes their class path (compile +
# provided scope, so Spark is included) to its cache file; prints the full class path.
sparkformer_classpath() {   # sparkformer_classpath [MODULE]
  local module="${1:-driver}" file
  file="$(classpath_file "$module")"
  if classpath_stale "$module"; then
    echo "sparkformer: compiling and resolving the class path..." >&2
    local offline=
    [[ "${SPARKFORMER_OFFLINE:-}" == 1 ]] && offline=-o
    (cd "$SPARKFORMER_ROOT" && ./mvnw -q -B $offline -pl "$module" -am compile dependency:build-classpath \
        -DincludeScope=compile -Dmdep.outputFile="$file.tmp") >&2
    mv "$file.tmp" "$file"
  fi
  local modules="$SPARKFORMER_ROOT/driver/target/classes:$SPARKFORMER_ROOT/data-pipeline/target/classes"
  modules="$modules:$SPARKFORMER_ROOT/worker-kernels/target/classes"
  [[ "$module" == driver ]] || modules="$SPARKFORMER_ROOT/$module/target/classes:$modules"
  echo "$modules:$(cat "$file")"
}

# Makes HOME a minimal SPARK_HOME whose jars/ links every jar of the class path CP, so Spark Workers
# (standalone or local-cluster) can build executor commands from the Maven class path.
link_spark_jars() {   # link_spark_jars HOME CP
  local home="$1" cp="$2"
  rm -rf "$home"
  mkdir -p "$home/jars" "$home/conf"
  tr ':' '\n' <<< "$cp" | grep '\.jar$' | while read -r jar; do ln -sf "$jar" "$home/jars/"; done
}

log4j_flag() {
  echo "-Dlog4j2.configurationFile=$SPARKFORMER_ROOT/conf/log4j2.properties"
}
