import type { ClassificationRule } from '../classification-rule.js';

/**
 * Media tools run as child processes (see `runMediaCommand`): first the failure line ffmpeg or
 * ffprobe printed, then how the process ended. Before the system-code rules, so a missing
 * ffmpeg binary is not mistaken for a missing input file.
 */
export const MEDIA_RULES: readonly ClassificationRule[] = [
  {
    id: 'media.no-space',
    mediaFailure: 'no-space',
    category: 'disk',
    subcategory: 'no-space',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The media tool ran out of disk space while writing: free space on the output volume (old renders, temp files) before retrying.',
      zh: '媒体工具写入时磁盘空间不足：先清理输出所在磁盘（旧的渲染结果、临时文件）再重试。',
    },
  },
  {
    id: 'media.permission-denied',
    mediaFailure: 'permission-denied',
    category: 'permission',
    subcategory: 'media-permission-denied',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The media tool may not read the input or write the output: check ownership and modes of both paths for the user the service runs as.',
      zh: '媒体工具无权读取输入或写入输出：检查两个路径的属主和权限是否允许服务运行用户访问。',
    },
  },
  {
    id: 'media.out-of-memory',
    mediaFailure: 'out-of-memory',
    category: 'memory',
    subcategory: 'media-out-of-memory',
    severity: 'critical',
    retryable: false,
    suggestion: {
      en: 'The media tool could not allocate memory: run fewer encodes at once, lower the resolution or thread count, or use a machine with more memory.',
      zh: '媒体工具无法分配内存：减少同时进行的编码任务，降低分辨率或线程数，或换用内存更大的机器。',
    },
  },
  {
    id: 'media.input-not-found',
    mediaFailure: 'input-not-found',
    category: 'filesystem',
    subcategory: 'media-file-not-found',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'A file the media tool was given does not exist: check the input path (and that the output directory exists) and that the previous phase really produced it.',
      zh: '传给媒体工具的文件不存在：检查输入路径（以及输出目录是否存在），确认上一阶段确实生成了该文件。',
    },
  },
  {
    id: 'media.moov-atom-not-found',
    mediaFailure: 'moov-atom-not-found',
    category: 'input',
    subcategory: 'truncated-media',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The MP4/MOV has no moov atom: the file is incomplete (upload or earlier write cut short) or not an MP4 at all; get a complete copy, and write MP4s with -movflags +faststart.',
      zh: 'MP4/MOV 缺少 moov atom：文件不完整（上传或之前的写入被中断）或根本不是 MP4；请获取完整文件，生成 MP4 时加 -movflags +faststart。',
    },
  },
  {
    id: 'media.invalid-data',
    mediaFailure: 'invalid-data',
    category: 'input',
    subcategory: 'invalid-media',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The input is not a media file the tool can read (corrupt, truncated or wrong format): validate it with ffprobe at upload time and ask for a new copy.',
      zh: '输入不是工具可读的媒体文件（损坏、被截断或格式不对）：在上传时用 ffprobe 校验，并请求重新提供文件。',
    },
  },
  {
    id: 'media.encoder-not-found',
    mediaFailure: ['encoder-not-found', 'decoder-not-found'],
    category: 'media',
    subcategory: 'codec-not-found',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'This ffmpeg build lacks the requested encoder or decoder: list them with `ffmpeg -encoders` / `-decoders`, install a build that has it, or pick an available codec.',
      zh: '当前 ffmpeg 构建缺少所需的编码器或解码器：用 `ffmpeg -encoders` / `-decoders` 查看，安装包含它的版本，或改用可用的编解码器。',
    },
  },
  {
    id: 'media.codec-not-supported',
    mediaFailure: 'codec-not-supported',
    category: 'media',
    subcategory: 'codec-not-supported',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The codec cannot go into this container: choose a codec the container supports (H.264/AAC for MP4) or change the container.',
      zh: '该编解码器不能放入此容器：选择容器支持的编码（MP4 用 H.264/AAC），或更换容器格式。',
    },
  },
  {
    id: 'media.invalid-option',
    mediaFailure: ['invalid-option', 'unknown-format'],
    category: 'configuration',
    subcategory: 'media-invalid-arguments',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The media tool rejected its arguments (unknown option, value or format): compare the command line with this ffmpeg version’s documentation.',
      zh: '媒体工具拒绝了参数（未知选项、取值或格式）：对照当前 ffmpeg 版本的文档检查命令行。',
    },
  },
  {
    id: 'media.network',
    mediaFailure: 'network',
    category: 'network',
    subcategory: 'media-network',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The media tool could not reach a network input or output: check the URL and that the remote end is up, then retry with backoff.',
      zh: '媒体工具无法访问网络输入或输出：检查 URL 和远端服务是否可用，然后带退避重试。',
    },
  },
  {
    id: 'media.encoder-failed',
    mediaFailure: 'encoder-failed',
    category: 'media',
    subcategory: 'encoder-failed',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The encoder would not open with these settings (bit rate, size, pixel format, missing GPU driver): read the line before it in stderrTail and adjust the parameters.',
      zh: '编码器无法以当前参数启动（码率、尺寸、像素格式或缺少 GPU 驱动）：查看 stderrTail 中它前面的那一行并调整参数。',
    },
  },
  {
    id: 'media.conversion-failed',
    mediaFailure: 'conversion-failed',
    category: 'media',
    subcategory: 'conversion-failed',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'ffmpeg reported "Conversion failed!" without a more specific line: the lines just before it in stderr name the cause.',
      zh: 'ffmpeg 报告 "Conversion failed!" 但没有更具体的错误行：stderr 中紧挨着它前面的几行会说明原因。',
    },
  },
  {
    id: 'media.command-not-found',
    code: 'ERR_MEDIA_COMMAND_NOT_STARTED',
    category: 'configuration',
    subcategory: 'command-not-found',
    severity: 'high',
    retryable: false,
    suggestion: {
      en: 'The media tool could not be started: install it (apt-get install ffmpeg) or give its full path, and check that it is executable.',
      zh: '无法启动媒体工具：请安装它（apt-get install ffmpeg）或提供完整路径，并确认其可执行。',
    },
  },
  {
    id: 'media.timeout',
    code: 'ERR_MEDIA_COMMAND_TIMEOUT',
    category: 'timeout',
    subcategory: 'media-command-timeout',
    severity: 'medium',
    retryable: true,
    suggestion: {
      en: 'The media command ran past its timeout and was killed: raise timeoutMs for long inputs, or look for a stalled network input.',
      zh: '媒体命令超时被终止：对较长的输入调大 timeoutMs，或检查是否有卡住的网络输入。',
    },
  },
  {
    id: 'media.aborted',
    code: 'ERR_MEDIA_COMMAND_ABORTED',
    category: 'aborted',
    subcategory: 'media-command-aborted',
    severity: 'low',
    retryable: false,
    suggestion: {
      en: 'The media command was cancelled through its AbortSignal: expected when a job is cancelled; otherwise find who aborted it.',
      zh: '媒体命令通过 AbortSignal 被取消：任务被取消时属正常；否则请查明是谁触发了取消。',
    },
  },
  {
    id: 'media.killed',
    code: 'ERR_MEDIA_COMMAND_FAILED',
    predicate: (s) => s.signal === 'SIGKILL' || s.exitCode === 137 || s.message.includes('killed by SIGKILL'),
    category: 'media',
    subcategory: 'killed',
    severity: 'high',
    retryable: true,
    suggestion: {
      en: 'The media tool was killed with SIGKILL, most often by the kernel OOM killer: check dmesg and the memory snapshot, and run fewer encodes at once.',
      zh: '媒体工具被 SIGKILL 终止，通常是内核 OOM killer 所为：查看 dmesg 和内存快照，并减少同时进行的编码任务。',
    },
  },
  {
    id: 'media.command-failed',
    code: 'ERR_MEDIA_COMMAND_FAILED',
    category: 'media',
    subcategory: 'command-failed',
    severity: 'medium',
    retryable: false,
    suggestion: {
      en: 'The media command failed without a known failure line: read stderrTail on the error for the reason and add a rule for it.',
      zh: '媒体命令失败，但没有识别出已知的错误行：查看错误对象上的 stderrTail 找出原因，并为其添加分类规则。',
    },
  },
];
