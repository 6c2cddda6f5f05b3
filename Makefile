# Thin wrappers around the CLI (org.xaiworkbench.cli.Main); every variable can be overridden: make train EPOCHS=2
MVN      ?= mvn -B -q
JAVA     ?= java
CP_FILE  := target/classpath.txt
JVM_OPTS ?= $(shell grep -v '^\#' native-config/jvm.options | tr '\n' ' ')
RUN       = $(JAVA) $(JVM_OPTS) -cp target/classes:$$(cat $(CP_FILE)) org.xaiworkbench.cli.Main

EPOCHS   ?= 10
BATCH    ?= 64
L2       ?= 0
RUN_NAME ?= base
MODEL    ?= weights/base
TRAIN_ARGS ?=

OUT      ?= outputs
EXPLAIN_ARGS ?=
ROBUSTNESS_ARGS ?=
CAM_LAYERS_ARGS ?=
EVALUATE_ARGS ?=
EXPLAIN_DATASET_ARGS ?= --images 100
SPARK    ?= local[*]
SCALE_IMAGES ?= 40
SCALE_ARGS ?= --methods saliency,integrated-gradients,smoothgrad,grad-cam,occlusion,lime --sensitivity-images 0 --randomization-images 0 --study-images 0 --chunk 5
REPORT_ARGS ?=
PEER_PYTHON ?= python3
PEER_ARGS ?=
PEER_SECONDS ?= 3
PEER_METHODS ?= saliency,integrated-gradients,smoothgrad,gradient-shap,grad-cam,guided-backprop,deconvolution,guided-grad-cam
# Captum takes a superpixel mask, not a segmentation: both sides get the same 5x5 grid
PEER_SET ?= --set 'feature-ablation.segmentation=grid(5x5)' --set 'shapley-value-sampling.segmentation=grid(5x5)'
ZOO      ?= outputs/zoo
ZOO_MODELS ?= grey_dilated grouped alexnet resnet18 resnet50 vgg16_bn densenet121 squeezenet1_1 googlenet mobilenet_v2 \
	mobilenet_v3_small efficientnet_b0 shufflenet_v2_x1_0 regnet_y_400mf mnasnet0_5 convnext_tiny vit_b_16 inception_v3

.PHONY: explain-dataset evaluate-spark spark-jar bench-scale bench-peer-evaluate peer-methods zoo-export zoo-check bench-peer-zoo peer-blas help build train train-l2 resume layers explain evaluate cam-layers robustness report bench bench-evaluate bench-peer bench-peer-onnx bench-peer-train profile test clean

help:
	@echo "make train      train the VGG13 (base run; L2=1e-5 RUN_NAME=l2 for the regularized one)"
	@echo "make train-l2   the report's second run, L2 1e-5"
	@echo "make resume     continue a killed training run (same variables)"
	@echo "make layers     the model's layers, their names and output shapes (MODEL=path, default weights/base)"
	@echo "make explain    every attribution method on one test image per class (+ images in inputs/)"
	@echo "make evaluate   which explanation to trust: faithfulness metrics, sanity checks, the comparison study (100 test images)"
	@echo "make explain-dataset every method's maps of many test images (or --images-dir) as .npy, resumable, in one JVM or on Spark"
	@echo "make evaluate-spark the same on Apache Spark (SPARK=local[2], spark://host:7077 or submit); the same numbers"
	@echo "make bench-scale images per minute of evaluate in one JVM and on Spark local[1], local[2], in turn"
	@echo "make cam-layers how often Grad-CAM / Grad-CAM++ maps are dark at each module, over 1,000 test images"
	@echo "make robustness FGSM, PGD and corruptions over the test set"
	@echo "make report     one offline HTML page of everything above that has run: outputs/report/index.html"
	@echo "make zoo-check  torchvision architectures exported to ONNX: our logits and saliency against PyTorch's (needs python3-torch)"
	@echo "make test       unit and integration tests"
	@echo "make bench      training/inference images/s, attribution and attack timings"
	@echo "make bench-evaluate seconds per image and method of each evaluation metric"
	@echo "make bench-peer our gradient methods and Captum's, timed in turns (needs torch and captum for PEER_PYTHON)"
	@echo "make bench-peer-evaluate max-sensitivity and the randomization checks, ours and Quantus', timed in turns (needs torch and Quantus for PEER_PYTHON)"
	@echo "make bench-peer-train training and inference images/s, ours and PyTorch's, in turns (needs torch for PEER_PYTHON)"
	@echo "make profile    where a training step's time goes, per ND4J op"
	@echo "make clean      remove build output and outputs/ (keeps weights/ and datasets/)"

build: $(CP_FILE)
	$(MVN) compile

$(CP_FILE): pom.xml
	$(MVN) dependency:build-classpath -Dmdep.outputFile=$(CP_FILE) -Dmdep.includeScope=runtime

train: build
	$(RUN) train --run $(RUN_NAME) --epochs $(EPOCHS) --batch $(BATCH) --l2 $(L2) $(TRAIN_ARGS)

train-l2:
	$(MAKE) train L2=1e-5 RUN_NAME=l2

resume:
	$(MAKE) train TRAIN_ARGS="--resume $(TRAIN_ARGS)"

explain: build
	$(RUN) explain --out $(OUT)/explain $(EXPLAIN_ARGS)

# evaluate stays under 4 GB resident whatever the image count: with a small heap the garbage collector runs often
# enough to free ND4J's off-heap arrays, and ND4J is capped; a 224x224 model needs more (EVALUATE_MEMORY="-Xmx6g ...")
EVALUATE_MEMORY ?= -Xmx1g -Dorg.bytedeco.javacpp.maxbytes=2G -Dorg.bytedeco.javacpp.maxphysicalbytes=3400M
evaluate: JVM_OPTS += $(EVALUATE_MEMORY)
evaluate: build
	$(RUN) evaluate --out $(OUT)/evaluate $(EVALUATE_ARGS)

# every method's maps of many images as .npy (no figures), resumable; SPARK=local[2] etc. through EXPLAIN_DATASET_ARGS="--spark ..."
explain-dataset: build
	$(RUN) explain-dataset --out $(OUT)/explain-dataset $(EXPLAIN_DATASET_ARGS)

# the same evaluation on Apache Spark: SPARK=local[2] (task threads in this JVM), spark://host:7077, or submit
evaluate-spark: build
	$(RUN) evaluate --spark '$(SPARK)' --out $(OUT)/evaluate $(EVALUATE_ARGS)

# one jar for spark-submit: the workbench and ND4J's Linux x86-64 natives, without Spark -> target/xai-workbench-spark.jar
spark-jar:
	$(MVN) -Pcpu,spark-submit package -DskipTests

# images per minute of the per-image part of an evaluation (no subsample checks), one JVM and Spark local[1], local[2], in turn
bench-scale: build
	@mkdir -p $(OUT)
	@for mode in single 'local[1]' 'local[2]'; do \
	  extra=""; [ "$$mode" = single ] || extra="--spark $$mode"; \
	  $(RUN) evaluate --images $(SCALE_IMAGES) $(SCALE_ARGS) $$extra --out $(OUT)/bench-scale/run >$(OUT)/bench-scale.log 2>&1 \
	    || { tail -3 $(OUT)/bench-scale.log; exit 1; }; \
	  seconds=$$(sed -n 's/.*"duration_seconds" : \([0-9.]*\).*/\1/p' $(OUT)/bench-scale/run/summary.json); \
	  echo "$$mode: $(SCALE_IMAGES) images in $$seconds s, $$(awk -v n=$(SCALE_IMAGES) -v s=$$seconds 'BEGIN { printf "%.2f", n * 60 / s }') images/min"; \
	done

layers: build
	$(RUN) layers --model $(MODEL)

cam-layers: build
	$(RUN) cam-layers --out $(OUT)/cam-layers $(CAM_LAYERS_ARGS)

robustness: build
	$(RUN) robustness --out $(OUT)/robustness $(ROBUSTNESS_ARGS)

report: build
	$(RUN) report --outputs $(OUT) --out $(OUT)/report $(REPORT_ARGS)

bench: build
	$(RUN) bench --batch $(BATCH)
	$(RUN) bench-explain
	$(RUN) bench-perturbation
	$(RUN) bench-robustness --all-steps
	$(RUN) bench-evaluate

bench-evaluate: build
	$(RUN) bench-evaluate

# PyTorch as pip wheels run it: on OpenBLAS built with OpenMP (the peers refuse Debian's default libblas.so.3)
OPENBLAS_OPENMP := /usr/lib/x86_64-linux-gnu/openblas-openmp
PEER_BLAS := LD_LIBRARY_PATH=$(OPENBLAS_OPENMP)
peer-blas:
	@[ -d $(OPENBLAS_OPENMP) ] || [ "$$(id -u)" != 0 ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas0-openmp
	@[ -d $(OPENBLAS_OPENMP) ] || { echo "bench-peer: $(OPENBLAS_OPENMP) is missing: apt-get install libopenblas0-openmp"; exit 2; }

bench-peer: build peer-blas
	$(PEER_BLAS) $(PEER_PYTHON) src/peer/captum_peer.py --warmup $(PEER_SECONDS) --seconds $(PEER_SECONDS) $(PEER_ARGS) \
	  --ours "$(RUN) bench-explain --methods $(PEER_METHODS) $(PEER_SET) --warmup-seconds $(PEER_SECONDS) --seconds $(PEER_SECONDS)"

# max-sensitivity and the two randomization checks, ours (bench-evaluate) and Quantus 0.6's own metrics, in turns on the same
# model, images and saliency maps (Quantus' source on PEER_PYTHON's PYTHONPATH)
bench-peer-evaluate: build peer-blas
	$(RUN) state-dict --model $(MODEL) --out $(OUT)/parity/vgg13/model.npz
	$(PEER_BLAS) $(PEER_PYTHON) src/peer/quantus_peer.py --vgg13-state $(OUT)/parity/vgg13/model.npz --cifar $(CIFAR_TEST) $(PEER_ARGS) \
	  --ours "$(RUN) bench-evaluate --model $(MODEL) --metrics max-sensitivity,class-randomization,model-randomization"

# training and inference of the VGG13, ours (bench) and PyTorch's, timed in turns
bench-peer-train: build peer-blas
	$(PEER_BLAS) $(PEER_PYTHON) src/peer/torch_train_peer.py --batch $(BATCH) $(PEER_ARGS) --ours "$(RUN) bench --batch $(BATCH)"

# the same, on a CIFAR ResNet-14 that the peer builds in PyTorch and exports to ONNX for our side
bench-peer-onnx: build peer-blas
	$(PEER_BLAS) $(PEER_PYTHON) src/peer/captum_peer.py --model resnet --onnx $(OUT)/bench/resnet14.onnx --warmup $(PEER_SECONDS) --seconds $(PEER_SECONDS) $(PEER_ARGS) \
	  --ours "$(RUN) bench-explain --model $(OUT)/bench/resnet14.onnx --methods $(PEER_METHODS) --warmup-seconds $(PEER_SECONDS) --seconds $(PEER_SECONDS)"

# the references' numbers for the methods they define (Captum 0.7, pytorch-grad-cam, Zennit 0.5.1, eclique/RISE, PAIR-code/saliency; on
# PYTHONPATH) against ours, in double,
# on the report's VGG13 with the shipped weights and a torchvision ResNet-18 export
CIFAR_TEST ?= datasets/cifar-10-batches-bin/test_batch.bin
peer-methods: build
	$(RUN) state-dict --model $(MODEL) --out $(OUT)/parity/vgg13/model.npz
	$(PEER_PYTHON) src/peer/method_parity.py --out $(OUT)/parity --vgg13-state $(OUT)/parity/vgg13/model.npz --cifar $(CIFAR_TEST)
	$(RUN) method-check $(OUT)/parity

# torchvision's architectures with random weights, exported by Debian's PyTorch with its logits and saliency
zoo-export:
	/usr/bin/python3 src/peer/zoo_export.py --out $(ZOO) $(ZOO_MODELS)

zoo-check: build zoo-export
	$(RUN) zoo-check $(ZOO)

# torchvision's ResNet-50 and MobileNet v2 at 224x224: Captum on PyTorch (OpenMP OpenBLAS, as pip wheels ship) and ours on the
# same ONNX export, in turns; few repeats, as one batched IG call takes minutes here
ZOO_BENCH_MODELS ?= resnet50 mobilenet_v2
ZOO_BENCH_BATCH ?= 2
ZOO_BENCH_REPEATS ?= 2
bench-peer-zoo: build peer-blas
	for model in $(ZOO_BENCH_MODELS); do \
	  $(PEER_BLAS) $(PEER_PYTHON) src/peer/captum_peer.py --model torchvision:$$model --onnx $(OUT)/bench/$$model.onnx \
	    --batch $(ZOO_BENCH_BATCH) --repeats $(ZOO_BENCH_REPEATS) --warmup 0 --seconds 0 $(PEER_ARGS) \
	    --ours "$(RUN) bench-explain --model $(OUT)/bench/$$model.onnx --methods $(PEER_METHODS) --batch $(ZOO_BENCH_BATCH) \
	      --repeats $(ZOO_BENCH_REPEATS) --warmup-seconds 0 --seconds 0 --jit-warmup-max-seconds 60" || exit 1; \
	done

profile: build
	$(RUN) bench --batch $(BATCH) --iterations 10 --warmup 3 --profile

test:
	mvn -B test

clean:
	rm -rf target outputs
